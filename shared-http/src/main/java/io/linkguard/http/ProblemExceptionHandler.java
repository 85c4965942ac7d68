package io.linkguard.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Writes a {@link ProblemException} as its problem+json body. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        Problem problem = exception.problem();
        if (problem.instance() == null) {
            problem = problem.at(request.getPath());
        }
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
    }
}
