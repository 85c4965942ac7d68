package io.linkguard.health.report;

import io.linkguard.http.ProblemException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Reads a request body that is one report or an array of them, and validates each. */
@Singleton
class ReportBodies {

    private final JsonMapper json;
    private final Validator validator;

    ReportBodies(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    List<HealthReport> read(JsonNode body) {
        List<JsonNode> nodes = new ArrayList<>();
        if (body.isArray()) {
            body.values().forEach(nodes::add);
        } else if (body.isObject()) {
            nodes.add(body);
        } else {
            throw ProblemException.badRequest("The body must be a report object or an array of reports.");
        }
        List<HealthReport> reports = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            String where = body.isArray() ? "[" + i + "]." : "";
            if (!nodes.get(i).isObject()) {
                throw ProblemException.badRequest(where.isEmpty() ? "A report must be an object." : where + ": must be an object");
            }
            HealthReport r;
            try {
                r = json.readValueFromTree(nodes.get(i), HealthReport.class);
            } catch (IOException | RuntimeException e) {
                throw ProblemException.badRequest(where + "a field has the wrong type (userId must be a UUID, observedAt an ISO-8601 instant, permanent a boolean).");
            }
            Set<ConstraintViolation<HealthReport>> violations = validator.validate(r);
            if (!violations.isEmpty()) {
                ConstraintViolation<HealthReport> v = violations.stream()
                        .min(Comparator.comparing(c -> c.getPropertyPath().toString())).orElseThrow();
                throw ProblemException.badRequest(where + v.getPropertyPath() + ": " + v.getMessage());
            }
            reports.add(r);
        }
        return reports;
    }
}
