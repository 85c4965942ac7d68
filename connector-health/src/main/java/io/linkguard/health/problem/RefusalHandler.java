package io.linkguard.health.problem;

import io.linkguard.http.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link Refusal} as problem+json, exactly as a problem thrown by a controller would be. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class RefusalHandler implements ExceptionHandler<Refusal, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, Refusal refusal) {
        Problem problem = refusal.problem().at(request.getPath());
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
    }
}
