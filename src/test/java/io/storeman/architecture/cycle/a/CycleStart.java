package io.storeman.architecture.cycle.a;

import io.storeman.architecture.cycle.b.CycleEnd;

/** Half of a deliberate package cycle, for ArchitectureTest to prove that its cycle rule fails. */
public class CycleStart {

    public CycleEnd next() {
        return new CycleEnd();
    }
}
