package org.drops.atm.linuxbridge.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.TrafficClass;
import org.junit.jupiter.api.Test;

class TunSettingsTest {

    /** A configuration with the metatype defaults, some values replaced. */
    record Config(String name, String[] address, String pvc, String qos, int mtu, String netns, String ip_command)
            implements TunConfiguration {
        static Config defaults() {
            return new Config(DEFAULT_NAME, new String[0], DEFAULT_PVC, DEFAULT_QOS, DEFAULT_MTU_BYTES, "", "ip");
        }

        Config with(String key, Object value) {
            return new Config(key.equals("name") ? (String) value : name, key.equals("address") ? (String[]) value : address,
                    key.equals("pvc") ? (String) value : pvc, key.equals("qos") ? (String) value : qos,
                    key.equals("mtu") ? (Integer) value : mtu, key.equals("netns") ? (String) value : netns,
                    key.equals("ip.command") ? (String) value : ip_command);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return TunConfiguration.class;
        }
    }

    @Test
    void defaultsGiveAtm0OnPvc0dot0dot100WithUbrAndMtu9180() {
        TunSettings s = TunSettings.of(Config.defaults());
        assertEquals("atm0", s.name());
        assertEquals(PvcAddress.parse("0.0.100"), s.pvc());
        assertEquals(9180, s.mtuBytes());
        assertEquals(TrafficClass.UBR, s.qos().tx().trafficClass());
        assertEquals(9188, s.qos().tx().maxSduBytes(), "MTU + LLC/SNAP header");
        assertEquals(9188, s.qos().rx().maxSduBytes());
        assertEquals("", s.netns());
        assertTrue(s.addresses().isEmpty());
    }

    @Test
    void addressesMaySeparateByCommasAndMixVersions() {
        TunSettings s = TunSettings.of(Config.defaults().with("address", new String[] {"10.99.0.1/24, fd00:99::1/64", "10.98.0.1/30"}));
        assertEquals(List.of("10.99.0.1/24", "fd00:99::1/64", "10.98.0.1/30"), s.addresses());
    }

    @Test
    void aCbrContractKeepsItsRateAndGetsTheSdu() {
        TunSettings s = TunSettings.of(Config.defaults().with("qos", "cbr:pcr=100000").with("mtu", 1500));
        assertEquals(TrafficClass.CBR, s.qos().rx().trafficClass());
        assertEquals(100000, s.qos().tx().pcrCps());
        assertEquals(1508, s.qos().tx().maxSduBytes());
    }

    @Test
    void everyBadValueIsRefusedNamingItsKey() {
        assertMessage("name:", Config.defaults().with("name", "much-too-long-name"));
        assertMessage("name:", Config.defaults().with("name", "a/b"));
        assertMessage("name:", Config.defaults().with("name", ""));
        assertMessage("mtu:", Config.defaults().with("mtu", 67));
        assertMessage("mtu:", Config.defaults().with("mtu", 65528));
        assertMessage("pvc:", Config.defaults().with("pvc", "0.0.5"));
        assertMessage("pvc:", Config.defaults().with("pvc", "zero"));
        assertMessage("qos:", Config.defaults().with("qos", "ubr,tx:none"));
        assertMessage("qos:", Config.defaults().with("qos", "ubr:sdu=1500"));
        assertMessage("qos:", Config.defaults().with("qos", "fast"));
        assertMessage("address:", Config.defaults().with("address", new String[] {"10.99.0.1"}));
        assertMessage("address:", Config.defaults().with("address", new String[] {"10.99.0.256/24"}));
        assertMessage("address:", Config.defaults().with("address", new String[] {"10.99.0.1/33"}));
        assertMessage("address:", Config.defaults().with("address", new String[] {"fd00::1/129"}));
        assertMessage("address:", Config.defaults().with("address", new String[] {"atm.example/24"}));
        assertMessage("netns:", Config.defaults().with("netns", "../etc"));
        assertMessage("ip.command:", Config.defaults().with("ip.command", " "));
    }

    private static void assertMessage(String prefix, Config c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunSettings.of(c));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
