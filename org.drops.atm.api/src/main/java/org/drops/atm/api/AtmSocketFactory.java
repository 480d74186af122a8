package org.drops.atm.api;

import java.io.IOException;
import java.util.List;
import org.drops.atm.api.qos.Aal;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The socket service: what an application bundle imports to use the network (the paper's client library,
 * §2.7). It is registered by the socket facade bundle; any number of bundles use it at once.
 *
 * <p>Threading: all methods may be called from any thread. None blocks on the network.
 */
@ProviderType
public interface AtmSocketFactory {

    /**
     * A new, unconnected ATM PVC socket ({@code socket(PF_ATMPVC, SOCK_DGRAM, aal)}). Set its QoS, then
     * connect or bind it.
     *
     * @param aal the adaptation layer; {@link Aal#AAL5} is what the platform carries
     * @throws AtmException if the platform cannot serve sockets of that AAL, or a per-bundle limit is reached
     */
    AtmSocket createSocket(Aal aal) throws AtmException;

    /** An AAL5 socket: {@code createSocket(Aal.AAL5)}. */
    default AtmSocket createSocket() throws AtmException {
        return createSocket(Aal.AAL5);
    }

    /**
     * A socket for ordinary time-sharing traffic that the real-time path does not carry. The call is
     * redirected to the SRT server (the Linux bridge), which performs it on a native Linux socket (paper
     * §2: "API calls unsupported by real-time servers are transparently redirected").
     *
     * @throws AtmException naming the call if no SRT server is present
     * @throws NativeCallException if the kernel refuses the socket
     */
    InetSocket createInetSocket(InetFamily family, InetType type) throws IOException;

    /** The platform's ATM interfaces now. */
    List<InterfaceInfo> interfaces();
}
