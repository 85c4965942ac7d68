package io.linkguard.launcher;

/**
 * The demo tenant the run command seeds.
 *
 * @param orgId        org id
 * @param userId       the demo user's id
 * @param email        the demo user's login
 * @param password     the demo user's password
 * @param clientId     the demo service account's client id
 * @param clientSecret the demo service account's secret
 */
public record DemoAccount(String orgId, String userId, String email, String password,
                          String clientId, String clientSecret) {
}
