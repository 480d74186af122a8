package org.drops.atm.socket;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetSocket;
import org.drops.atm.api.InetType;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.api.srt.SrtServer;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The socket service (paper §2.7, the client library). One instance per using bundle (bundle scope), so the
 * platform knows who owns which socket: when the bundle stops or releases the service, every socket it still
 * holds is closed, and with it its connections, reservations and threads.
 */
@Component(service = AtmSocketFactory.class, scope = ServiceScope.BUNDLE)
public final class SocketFactoryComponent implements AtmSocketFactory, SocketOwner {

    private static final Logger LOG = Logger.getLogger(SocketFactoryComponent.class.getName());

    @Reference
    private ProtocolServer server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SrtServer srt;

    private final Set<Object> sockets = ConcurrentHashMap.newKeySet();
    // Guards active together with additions to sockets, so that a socket created while the owner stops is either
    // refused or closed by deactivate. Before (found reviewing the stop path for MisbehavingBundlesIT; reproduced by
    // AtmSocketTest.aSocketCreatedWhileTheOwnerStopsIsClosedWithIt): createSocket checked active, deactivate copied
    // and cleared the set, then createSocket added the new socket, which its owner could still connect, leaving a
    // connection that no one would ever close.
    private final Object lifecycle = new Object();
    private volatile String ownerName = "?";
    private volatile boolean active;

    @Activate
    void activate(ComponentContext context) {
        Bundle user = context.getUsingBundle();
        ownerName = user == null ? "?" : user.getSymbolicName() + " [" + user.getBundleId() + "]";
        active = true;
    }

    @Deactivate
    void deactivate() {
        List<Object> left;
        synchronized (lifecycle) {
            active = false;
            left = new ArrayList<>(sockets);
            sockets.clear();
        }
        for (Object s : left) {
            try {
                if (s instanceof AtmSocketImpl atm) {
                    atm.close("the socket service was released (" + ownerName + " stopped, or org.drops.atm.socket stopped)");
                } else {
                    ((Closeable) s).close();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "closing a socket of " + ownerName, e);
            }
        }
        if (!left.isEmpty()) {
            LOG.info("closed " + left.size() + " socket(s) " + ownerName + " left open");
        }
    }

    @Override
    public String name() {
        return ownerName;
    }

    @Override
    public void forget(Object socket) {
        sockets.remove(socket);
    }

    @Override
    public void adopt(Object socket) {
        synchronized (lifecycle) {
            if (active) {
                sockets.add(socket);
                return;
            }
        }
        closeQuietly(socket); // accepted after the owner went: nobody would close it
    }

    /** Adds a new socket to the owner's, or refuses it (closing it) once the service was released. */
    private void hold(Object socket, String call) throws AtmException {
        synchronized (lifecycle) {
            if (active) {
                sockets.add(socket);
                return;
            }
        }
        closeQuietly(socket);
        throw new AtmException(call + ": the socket service was released");
    }

    private void closeQuietly(Object socket) {
        try {
            ((Closeable) socket).close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "closing a socket of " + ownerName, e);
        }
    }

    @Override
    public AtmSocket createSocket(Aal aal) throws AtmException {
        if (!active) {
            throw new AtmException("createSocket: the socket service was released");
        }
        if (aal == null) {
            throw new IllegalArgumentException("createSocket: the aal is null (the platform carries AAL5)");
        }
        if (aal != Aal.AAL5) {
            throw new AtmException("createSocket: " + aal + " sockets are not supported; the platform carries AAL5");
        }
        AtmSocketImpl socket = new AtmSocketImpl(this, server, aal);
        hold(socket, "createSocket");
        return socket;
    }

    @Override
    public InetSocket createInetSocket(InetFamily family, InetType type) throws IOException {
        if (family == null || type == null) {
            throw new IllegalArgumentException("createInetSocket: family and type are required");
        }
        SrtServer s = srt;
        if (s == null) {
            throw new AtmException("createInetSocket(" + family + ", " + type + "): the real-time path carries ATM "
                    + "only, and no SRT server (the Linux bridge, org.drops.atm.linuxbridge) is present to redirect the call to");
        }
        int fd = s.socket(family, type);
        InetSocketImpl socket = new InetSocketImpl(this, s, family, type, fd);
        hold(socket, "createInetSocket");
        return socket;
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return server.interfaces();
    }

    /** For tests outside OSGi: a facade over a given server. */
    static SocketFactoryComponent of(ProtocolServer server, String owner) {
        SocketFactoryComponent c = new SocketFactoryComponent();
        c.server = server;
        c.ownerName = owner;
        c.active = true;
        return c;
    }
}
