package io.linkguard.gateway;

import io.linkguard.gateway.route.Backend;
import io.linkguard.gateway.route.Routes;
import io.micronaut.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutesTest {

    @Test
    void routeWhenPublicPathsThenOwningService() {
        assertThat(Routes.route(HttpMethod.POST, "/oauth/token")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.GET, "/.well-known/openid-configuration")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.GET, "/connect/abc")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.POST, "/api/signup")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.GET, "/api/auth-profiles/1")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.DELETE, "/api/users/42")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.POST, "/api/connections/1/access-token")).isEqualTo(Backend.REFRESHER);
        assertThat(Routes.route(HttpMethod.GET, "/api/connectors/1/status")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.POST, "/api/health/reports")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.PUT, "/api/users/1/automation-pause")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.GET, "/api/users/1/automation-state")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.GET, "/api/connectors/1/history")).isEqualTo(Backend.HEALTH);
    }

    @Test
    void routeWhenOrgConnectionsThenHealthAndOtherOrgRoutesStayWithAuth() {
        assertThat(Routes.route(HttpMethod.GET, "/api/orgs/1/connections")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.GET, "/api/orgs/1/connections/summary")).isEqualTo(Backend.HEALTH);
        assertThat(Routes.route(HttpMethod.POST, "/api/orgs/1/users")).isEqualTo(Backend.AUTH);
        assertThat(Routes.route(HttpMethod.GET, "/api/orgs/1/connections/2")).isEqualTo(Backend.AUTH);
    }

    @Test
    void routeWhenInternalOrUnknownOrTraversalThenNotRouted() {
        assertThat(Routes.route(HttpMethod.GET, "/internal/users/1")).isNull();
        assertThat(Routes.route(HttpMethod.POST, "/internal/health/reports")).isNull();
        assertThat(Routes.route(HttpMethod.GET, "/api/connectors/../../internal/users/1")).isNull();
        assertThat(Routes.route(HttpMethod.GET, "/api/users/1")).as("only DELETE is routed").isNull();
        assertThat(Routes.route(HttpMethod.GET, "/admin")).isNull();
    }
}
