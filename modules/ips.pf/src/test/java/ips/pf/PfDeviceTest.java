package ips.pf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ips.api.EnforcerException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The native plumbing, exercised on this (Linux) machine with devices that exist here. */
class PfDeviceTest {

    @Test
    void opensAnExistingDeviceAndCapturesTheErrnoOfAnIoctlItDoesNotKnow() throws EnforcerException {
        try (PfDevice dev = PfDevice.open("/dev/null"); Arena arena = Arena.ofConfined()) {
            MemorySegment io = arena.allocate(PfiocTableLayout.LAYOUT);
            assertEquals(Errno.ENOTTY, dev.ioctl(PfIoctls.DIOCRGETADDRS, io));
            assertEquals(Errno.ENOTTY, dev.ioctl(PfIoctls.DIOCKILLSTATES, io));
        }
    }

    @Test
    void reportsTheErrnoOfAFailedOpen() {
        EnforcerException e = assertThrows(EnforcerException.class, () -> PfDevice.open("/dev/portcullis-no-such-device"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open /dev/portcullis-no-such-device", e.operation());
    }

    @Test
    void answersEbadfAfterCloseInsteadOfTouchingAReusedDescriptor() throws EnforcerException {
        PfDevice dev = PfDevice.open("/dev/null");
        dev.close();
        dev.close();
        assertEquals(Errno.EBADF, dev.ioctl(PfIoctls.DIOCRGETADDRS, MemorySegment.NULL));
    }

    @Test
    void fallsBackToTheDefaultRequestMaxcountWhereTheSysctlDoesNotExist() {
        assertEquals(65535, PfDevice.sysctlUint(PfDevice.REQUEST_MAXCOUNT_SYSCTL, 65535));
    }
}
