package dev.herald.api.auth;

import static dev.herald.api.auth.JwtAuthenticatorTest.SECRET;
import static dev.herald.api.auth.JwtAuthenticatorTest.T0;
import static dev.herald.api.auth.JwtAuthenticatorTest.clockAt;
import static dev.herald.api.auth.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Principal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the HS256 path decides without nimbus, and that the claims rules are one for both paths. */
class Hs256VerifierTest {
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    /** A further header parameter: the token is then verified by nimbus, as before. */
    static final String NIMBUS_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"x-route\":\"nimbus\"}";
    static final long EXP = T0.getEpochSecond() + 3600;
    static final String CLAIMS = "{\"user_id\":\"u1\",\"exp\":" + EXP + "}";
    final JwtAuthenticator authenticator = new JwtAuthenticator(JwtConfig.hs256(SECRET), clockAt(T0));

    static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs the two encoded parts exactly as given, with the JDK's own HMAC. */
    static String signEncoded(String header64, String payload64) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String input = header64 + "." + payload64;
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static String sign(String header, String claims) throws Exception {
        return signEncoded(b64(header), b64(claims));
    }

    static String padded(String base64url) {
        return base64url + "=".repeat((4 - base64url.length() % 4) % 4);
    }

    HeraldException refused(String token) {
        return refusal(() -> authenticator.authenticate(token));
    }

    @Test
    void acceptsTokensMintedByNimbusWithAKidWithoutTypOrWithAtJwt() throws Exception {
        for (JWSHeader header : List.of(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").type(JOSEObjectType.JWT).build(),
                new JWSHeader(JWSAlgorithm.HS256), new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build())) {
            SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().subject("s1").issueTime(Date.from(T0))
                    .expirationTime(Date.from(T0.plusSeconds(600))).claim("roles", List.of("admin")).build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

            Principal p = authenticator.authenticate(jwt.serialize());

            assertThat(p.userId()).isEqualTo("s1");
            assertThat(p.roles()).containsExactly("admin");
            assertThat(p.expiresAt()).isEqualTo(T0.plusSeconds(600));
        }
    }

    @Test
    void acceptsTypInAnyCaseButOnlyJwtOrAtJwtAsNimbusDid() throws Exception {
        assertThat(authenticator.authenticate(sign("{\"alg\":\"HS256\",\"typ\":\"jwt\"}", CLAIMS)).userId()).isEqualTo("u1");
        assertThat(authenticator.authenticate(sign("{\"alg\":\"HS256\",\"typ\":\"AT+JWT\"}", CLAIMS)).userId()).isEqualTo("u1");

        assertThat(refused(sign("{\"alg\":\"HS256\",\"typ\":\"application/jwt\"}", CLAIMS)).getMessage())
                .isEqualTo("token rejected: JOSE header typ (type) application/jwt not allowed");
        assertThat(refused(sign("{\"alg\":\"HS256\",\"typ\":5}", CLAIMS)).getMessage()).isEqualTo("token is not a well-formed JWT");
    }

    @Test
    void refusesASignatureAlteredInOneCharacter() throws Exception {
        String token = sign(HEADER, CLAIMS);
        int i = token.length() - 10;
        String altered = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);

        HeraldException e = refused(altered);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).isEqualTo("token rejected: Signed JWT rejected: Invalid signature");
    }

    @Test
    void refusesASecondSpellingOfTheSameSignature() throws Exception {
        // 32 bytes take 43 characters; the last one carries 2 unused bits, which must be zero.
        String token = sign(HEADER, CLAIMS);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        String sameBytes = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);

        assertThat(refused(sameBytes).getMessage()).isEqualTo("token is not a well-formed JWT");
    }

    @Test
    void refusesACritHeaderEvenAnEmptyOne() throws Exception {
        for (String crit : List.of("[\"exp\"]", "[]", "[\"b64\"]")) {
            HeraldException e = refused(sign("{\"alg\":\"HS256\",\"crit\":" + crit + ",\"exp\":1}", CLAIMS));

            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(e.getMessage()).contains("critical header parameters");
        }
    }

    @Test
    void refusesPaddedBase64urlInAnyPartEvenWhenSignedSo() throws Exception {
        // Lengths chosen so that every part needs padding: 26, 34 and 32 bytes.
        String token = sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"user_id\":\"u12\",\"exp\":" + EXP + "}");
        String[] parts = token.split("\\.");

        for (String bad : List.of(signEncoded(padded(parts[0]), parts[1]), signEncoded(parts[0], padded(parts[1])),
                parts[0] + "." + parts[1] + "." + padded(parts[2]))) {
            assertThat(bad).contains("=");
            assertThat(refused(bad).getMessage()).isEqualTo("token is not a well-formed JWT");
        }
    }

    @Test
    void refusesCharactersOutsideTheBase64urlAlphabetEvenWhenSignedSo() throws Exception {
        String[] parts = sign(HEADER, CLAIMS).split("\\.");

        for (String junk : List.of("+", "/", "!", " ", "é")) {
            String payload = parts[1].substring(0, 8) + junk + parts[1].substring(8);
            assertThat(refused(signEncoded(parts[0], payload)).getMessage()).isEqualTo("token is not a well-formed JWT");
        }
    }

    @Test
    void refusesATokenOfFourOrTwoOrFiveParts() throws Exception {
        String token = sign(HEADER, CLAIMS);

        for (String bad : List.of(token + ".AAAA", token.substring(0, token.lastIndexOf('.')), token + ".AAAA.AAAA")) {
            HeraldException e = refused(bad);
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(e.getMessage()).isEqualTo("token is not a well-formed JWT");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[[\"user_id\",\"u1\"]]", "\"u1\"", "5", "null", "", "{\"user_id\":\"u1\"} {}"})
    void refusesClaimsThatAreNotOneJsonObject(String claims) throws Exception {
        HeraldException e = refused(sign(HEADER, claims));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).isEqualTo("token rejected: Payload of JWS object is not a valid JSON object");
    }

    @Test
    void refusesDuplicateNamesInTheClaimsOrTheHeader() throws Exception {
        // Which of two user_ids counts would be the parser's choice, and parsers differ.
        String twoUsers = "{\"user_id\":\"u1\",\"user_id\":\"admin\",\"exp\":" + EXP + "}";
        String nested = "{\"user_id\":\"u1\",\"exp\":" + EXP + ",\"x\":{\"a\":1,\"a\":2}}";

        assertThat(refused(sign(HEADER, twoUsers)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(refused(sign(HEADER, nested)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(refused(sign("{\"alg\":\"none\",\"alg\":\"HS256\"}", CLAIMS)).getMessage())
                .isEqualTo("token is not a well-formed JWT");
    }

    @Test
    void truncatesAFractionalExpToWholeSecondsAsNimbusReadsIt() throws Exception {
        long justPast = T0.minus(JwtConfig.DEFAULT_CLOCK_SKEW).getEpochSecond();

        Principal p = authenticator.authenticate(sign(HEADER, "{\"user_id\":\"u1\",\"exp\":" + EXP + ".9}"));
        // Read exactly, exp + skew would be half a second before now: truncated, it is now, still accepted.
        Principal atTheEdge = authenticator.authenticate(sign(HEADER, "{\"user_id\":\"u1\",\"exp\":" + justPast + ".5}"));

        assertThat(p.expiresAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(atTheEdge.expiresAt().getEpochSecond()).isEqualTo(justPast);
        assertThat(refused(sign(HEADER, "{\"user_id\":\"u1\",\"exp\":" + (justPast - 1) + ".5}")).code())
                .isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void refusesAnHs256TokenWhenOnlyAJwksIsConfiguredWithoutTryingTheJwks() throws Exception {
        // Port 9 (discard) is never reached: the refusal comes before any key is looked up.
        JwtAuthenticator jwksOnly = new JwtAuthenticator(JwtConfig.jwks(URI.create("http://127.0.0.1:9/jwks.json")), clockAt(T0));

        HeraldException e = refusal(() -> jwksOnly.authenticate(sign(HEADER, CLAIMS)));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("no matching key");
    }

    @Test
    void refusesALowercaseHs256Alg() throws Exception {
        HeraldException e = refused(sign("{\"alg\":\"hs256\",\"typ\":\"JWT\"}", CLAIMS));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("no matching key");
    }

    @Test
    void refusesAHeaderThatIsJsonNullWithInvalidToken() throws Exception {
        // nimbus threw a NullPointerException here.
        assertThat(refused(sign("null", CLAIMS)).getMessage()).isEqualTo("token is not a well-formed JWT");
    }

    @Test
    void leavesAnHs256HeaderWithFurtherParametersToNimbusAsBefore() throws Exception {
        assertThat(authenticator.authenticate(sign("{\"alg\":\"HS256\",\"cty\":\"JWT\"}", CLAIMS)).userId()).isEqualTo("u1");
        assertThat(refused(sign("{\"alg\":\"HS256\",\"b64\":false}", CLAIMS)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(refused(sign("{\"alg\":\"HS256\",\"jwk\":\"not a key\"}", CLAIMS)).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    /** The same claims through Jackson (plain header) and through nimbus (a further parameter). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"user_id\":123,\"team_id\":7,\"email\":5,\"roles\":[\"a\",1,1.5],\"exp\":EXP}",
        "{\"user_id\":12345678901234567890,\"exp\":EXP}",
        "{\"user_id\":1e3,\"exp\":EXP}",
        "{\"sub\":5,\"exp\":EXP}",
        "{\"sub\":true,\"user_id\":\"u1\",\"exp\":EXP}",
        "{\"user_id\":\"u1\",\"exp\":\"EXP\"}",
        "{\"user_id\":\"u1\",\"exp\":null}",
        "{\"user_id\":\"u1\",\"exp\":1e20}",
        "{\"user_id\":\"u1\",\"exp\":1e400}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"nbf\":true}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"iat\":[]}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"aud\":5}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"aud\":[\"a\",1]}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"aud\":[null],\"iss\":null}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"iss\":5}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"jti\":5}",
        "{\"user_id\":\"u\\u0000\",\"exp\":EXP}",
        "{\"user_id\":\"u1\",\"team_id\":\"t\\ud800\",\"exp\":EXP}",
        "{\"user_id\":\" \",\"sub\":\"s1\",\"exp\":EXP}",
        "{\"user_id\":[\"u1\"],\"exp\":EXP}",
        "{\"user_id\":\"u1\",\"groups\":[null],\"exp\":EXP}",
        "{\"user_id\":\"u1\",\"exp\":EXP,\"iat\":IAT}",
    })
    void decidesTheSameClaimsTheSameWayOnBothPaths(String template) throws Exception {
        String claims = template.replace("EXP", String.valueOf(EXP)).replace("IAT", String.valueOf(T0.getEpochSecond() + 60));
        JwtConfig strict = new JwtConfig(SECRET.getBytes(StandardCharsets.UTF_8), null, null, "herald", null);
        for (JwtAuthenticator auth : List.of(authenticator, new JwtAuthenticator(strict, clockAt(T0)))) {
            assertThat(outcome(auth, sign(HEADER, claims))).isEqualTo(outcome(auth, sign(NIMBUS_HEADER, claims)));
        }
    }

    static String outcome(JwtAuthenticator auth, String token) {
        try {
            Principal p = auth.authenticate(token);
            return p.userId() + "|" + p.teamId() + "|" + new TreeSet<>(p.roles()) + "|" + new TreeSet<>(p.groups()) + "|" + p.email() + "|" + p.expiresAt();
        } catch (HeraldException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    @Test
    void verifiesFromManyVirtualThreadsAtOnce() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 64; i++) tokens.add(sign(HEADER, "{\"user_id\":\"u" + i + "\",\"exp\":" + EXP + "}"));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(threads.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < tokens.size(); i++) {
                            if (!authenticator.authenticate(tokens.get(i)).userId().equals("u" + i)) return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) assertThat(result.get()).isTrue();
        }
    }

    @Test
    void decodesWhatTheJdkEncodesAtEveryLength() {
        Random random = new Random(14);
        for (int length = 0; length < 100; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            byte[] encoded = B64.encode(bytes);

            assertThat(Hs256Verifier.decode(encoded, 0, encoded.length)).isEqualTo(bytes);
        }
    }
}
