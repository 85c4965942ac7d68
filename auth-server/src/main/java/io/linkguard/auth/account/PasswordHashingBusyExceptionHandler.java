package io.linkguard.auth.account;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.http.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 503 problem+json with {@code Retry-After} when sign-in or sign-up hashing is saturated. */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class PasswordHashingBusyExceptionHandler implements ExceptionHandler<PasswordHashingBusyException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, PasswordHashingBusyException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        Problem p = AuthProblem.BUSY.problem(
                "Too many sign-ins are being checked right now. Please try again in a moment.").at(request.getPath());
        return HttpResponse.<Problem>status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.of(Problem.MEDIA_TYPE))
                .header("Retry-After", Long.toString(seconds)).header("Cache-Control", "no-store").body(p);
    }
}
