package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioMixTest {

    @Test
    void inputsAreSummedAtTheirPlaceAndClipped() {
        AudioMix mix = new AudioMix();
        mix.add(0, new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 4);
        mix.add(2, new float[] {0.5f, 0.9f, 0.5f}, 3);
        assertThat(mix.take(3)).containsExactly(0.25f, 0.25f, 0.75f);
        assertThat(mix.taken()).isEqualTo(3);
        assertThat(mix.take(3)).as("0.25 + 0.9 clipped; silence after").containsExactly(1f, 0.5f, 0f);
    }

    @Test
    void samplesBeforeWhatWasTakenAreDroppedAndFarOnesGrowTheBuffer() {
        AudioMix mix = new AudioMix();
        mix.take(10);
        mix.add(8, new float[] {0.1f, 0.2f, 0.3f}, 3);
        assertThat(mix.take(2)).containsExactly(0.3f, 0f);
        mix.add(200_000, new float[] {0.5f}, 1);
        mix.take(200_000 - 12);
        assertThat(mix.take(1)).containsExactly(0.5f);
    }
}
