package io.linkguard.refresher.refresh;

import io.linkguard.http.Problem;
import io.linkguard.http.ProblemException;
import io.linkguard.http.ProblemExceptionHandler;
import io.linkguard.http.config.PublicUrl;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The HTTP edge of {@link TokenRefusal}: each refusal as the problem+json a worker acts on (the
 * types are in docs/problems.md). The reconnect link is built here, from the public URL.
 */
@Singleton
@Produces(Problem.MEDIA_TYPE)
class TokenRefusalHandler implements ExceptionHandler<TokenRefusal, HttpResponse<Problem>> {

    private final ProblemExceptionHandler problems;
    private final PublicUrl publicUrl;

    TokenRefusalHandler(ProblemExceptionHandler problems, PublicUrl publicUrl) {
        this.problems = problems;
        this.publicUrl = publicUrl;
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, TokenRefusal refusal) {
        return problems.handle(request, new ProblemException(problem(refusal)));
    }

    Problem problem(TokenRefusal refusal) {
        return switch (refusal.kind()) {
            case NO_SUCH_CONNECTION -> Problem.of("not-found", "Not Found", 404, "No such connection.");
            case NEEDS_REAUTH -> Problem.of("needs-reauth", "Reconnect needed", 409,
                            "The provider no longer accepts this connection; the user must reconnect it.")
                    .with("connector", refusal.connector())
                    .with("reconnectUrl", publicUrl.reconnectUrl(refusal.connector()));
            case PROVIDER_UNAVAILABLE -> Problem.of("provider-unavailable", "Service Unavailable", 503,
                            "The provider cannot refresh this connection right now; try again later.")
                    .with("retryAfterSeconds", Math.max(1, refusal.retryAfter().toSeconds()));
        };
    }
}
