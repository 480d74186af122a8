package org.drops.atm.api.server;

import java.util.List;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The protocol server (paper §2.1): opens connections through its service thread (admission, VC set-up,
 * ring allocation, worker start), runs their data paths, and tears them down.
 *
 * <p><b>Threading and blocking</b>: all methods may be called from any thread. {@link #open} blocks while the
 * service thread admits and sets up the connection (no network round trip: PVCs need no signalling).
 */
@ProviderType
public interface ProtocolServer {

    /**
     * Opens one direction of a PVC under a contract.
     *
     * @param owner     who opens it, for limits and display (for example the bundle's symbolic name)
     * @throws org.drops.atm.api.AdmissionException if admission control refuses, with the recommended contract
     * @throws AtmException naming the problem: no such interface, the PVC already open in that direction, the
     *                      contract's direction is none, a per-owner limit reached
     */
    Connection open(PvcAddress pvc, Qos qos, Direction direction, Aal aal, String owner) throws AtmException;

    /** The interfaces the server runs. Threading: any thread. Blocking: never. */
    List<InterfaceInfo> interfaces();

    /** Statistics of every open connection. Threading: any thread. Blocking: never. */
    List<ConnectionStatistics> connections();
}
