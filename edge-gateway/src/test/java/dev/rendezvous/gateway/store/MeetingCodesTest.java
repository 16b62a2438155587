package dev.rendezvous.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeetingCodesTest {

    @Test
    void shouldMakeCodesOfThreeFourThreeLowercaseLetters() {
        MeetingCodes codes = new MeetingCodes();
        for (int i = 0; i < 1000; i++) {
            String code = codes.next();
            assertThat(code).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");
            assertThat(MeetingCodes.isWellFormed(code)).isTrue();
        }
    }

    @Test
    void shouldRarelyRepeatACode() {
        MeetingCodes codes = new MeetingCodes();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(codes.next());
        }
        assertThat(seen).hasSizeGreaterThan(9_990);
    }

    @Test
    void shouldUseEveryLetter() {
        MeetingCodes codes = new MeetingCodes(new Random(42));
        Set<Character> letters = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            codes.next().chars().filter(Character::isLetter).forEach(c -> letters.add((char) c));
        }
        assertThat(letters).hasSize(26);
    }

    @Test
    void shouldRecogniseMalformedCodes() {
        for (String bad : new String[] {null, "", "abc-defg-hi", "ABC-DEFG-HIJ", "abc_defg_hij", "abcdefghij",
                "abc-defg-hijk", "abc-def1-hij", "../etc/passw"}) {
            assertThat(MeetingCodes.isWellFormed(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
