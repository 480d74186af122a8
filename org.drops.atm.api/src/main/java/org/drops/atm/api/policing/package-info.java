/**
 * SPI: usage parameter control and policing (paper §2.5, §3.2). A policy bundle registers a
 * {@link PolicingPolicy} service, a factory of per-connection {@link Meter}s; the core selects a policy by
 * configuration or, failing that, by service ranking, and meters every PDU with it: transmit PDUs that do not
 * conform suspend the worker until they would, receive PDUs that do not conform are dropped and counted.
 *
 * <p>These interfaces are {@code @ConsumerType}: third-party bundles implement them and are hot-deployed, so
 * adding a method is a major (breaking) change that the resolver keeps older policy bundles away from.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.api.policing;
