package io.linkguard.gateway.route;

/** The services behind the gateway. */
public enum Backend { AUTH, REFRESHER, HEALTH }
