package dev.rendezvous.forwarder.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The recent CPU load of this process, as a share (0..1) of the CPUs available to it. */
@FunctionalInterface
public interface CpuLoad {

    /** 0..1; 0 when the platform cannot tell (see {@link #ofThisProcess()}). */
    double sample();

    /**
     * {@code com.sun.management.OperatingSystemMXBean#getProcessCpuLoad()}: the process's CPU time over the
     * recent past divided by wall time times available processors (container-aware on JDK 17+). The JVM
     * answers a negative value when it cannot tell (e.g. right at start); that is reported as 0 rather than
     * as a number placement could misread. On a JVM without the {@code com.sun.management} extension it is
     * always 0.
     */
    static CpuLoad ofThisProcess() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return () -> clamp(sun.getProcessCpuLoad());
        }
        return () -> 0.0;
    }

    /** Negative and NaN become 0, anything above 1 becomes 1. */
    static double clamp(double load) {
        if (Double.isNaN(load) || load < 0) {
            return 0.0;
        }
        return Math.min(1.0, load);
    }
}
