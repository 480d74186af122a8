/**
 * The time-taking path of usage parameter control: a {@link org.drops.atm.upc.clock.CachedNanoClock} that the
 * thread running meters (a connection's worker, the pseudo-interrupt thread) reads once per batch of PDUs,
 * and a {@link org.drops.atm.upc.clock.ClockedMeter} that decides on that cached time and reads the clock
 * again only when a PDU does not conform. A meter fed this way never grants credit early, because the cached
 * time never runs ahead of the real one; see the classes for what it costs and what it gives up.
 *
 * <p>Exported so that the core can use it; the core should copy it into its own bundle with bnd's
 * {@code -conditionalpackage: org.drops.atm.upc.clock} rather than import it, so that updating or stopping this
 * policy bundle never refreshes the core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.upc.clock;
