package io.linkguard.auth.problem;

import io.linkguard.http.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** Answers a {@link Refusal} as problem+json: its catalogue entry, its detail, the request path. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class RefusalHandler implements ExceptionHandler<Refusal, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, Refusal refusal) {
        Problem problem = refusal.kind().problem(refusal.detail());
        for (Map.Entry<String, Object> e : refusal.extensions().entrySet()) {
            problem = problem.with(e.getKey(), e.getValue());
        }
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem.at(request.getPath()));
    }
}
