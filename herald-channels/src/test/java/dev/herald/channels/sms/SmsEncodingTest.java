package dev.herald.channels.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsEncodingTest {
    @Test
    void gsm7HoldsOneHundredSixtySeptetsInOneSegmentAndSplitsByOneHundredFiftyThree() {
        assertThat(SmsEncoding.of("a".repeat(160))).isEqualTo(new SmsEncoding(SmsEncoding.Alphabet.GSM7, 160, 1));
        assertThat(SmsEncoding.of("a".repeat(161))).isEqualTo(new SmsEncoding(SmsEncoding.Alphabet.GSM7, 161, 2));
        assertThat(SmsEncoding.of("a".repeat(306))).isEqualTo(new SmsEncoding(SmsEncoding.Alphabet.GSM7, 306, 2));
        assertThat(SmsEncoding.of("a".repeat(307)).segments()).isEqualTo(3);
    }

    @Test
    void extensionCharactersTakeTwoSeptets() {
        assertThat(SmsEncoding.of("10€ [ok]")).isEqualTo(new SmsEncoding(SmsEncoding.Alphabet.GSM7, 11, 1));
    }

    @Test
    void accentsOfTheGsmAlphabetStayGsm7AndOthersAreUcs2() {
        assertThat(SmsEncoding.of("Café à Zürich").alphabet()).isEqualTo(SmsEncoding.Alphabet.GSM7);
        assertThat(SmsEncoding.of("Paiement reçu").alphabet()).isEqualTo(SmsEncoding.Alphabet.UCS2);
    }

    @Test
    void ucs2HoldsSeventyUnitsInOneSegmentAndAnEmojiTakesTwo() {
        assertThat(SmsEncoding.of("ж".repeat(70))).isEqualTo(new SmsEncoding(SmsEncoding.Alphabet.UCS2, 70, 1));
        assertThat(SmsEncoding.of("ж".repeat(71)).segments()).isEqualTo(2);
        assertThat(SmsEncoding.of("🎉").units()).isEqualTo(2);
    }
}
