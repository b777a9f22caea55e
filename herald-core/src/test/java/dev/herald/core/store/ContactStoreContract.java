package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** What every {@link ContactStore} must do. */
public abstract class ContactStoreContract extends PortContract {
    private ContactStore contacts() {
        return storage.contacts();
    }

    /** A device registered now; a second passes so the next one is newer. */
    private Device device(String userId, Device.Platform platform, String token) {
        Device d = new Device(ids.next(now()), userId, platform, token, null, null, now());
        clock.advance(Duration.ofSeconds(1));
        return d;
    }

    @Test
    void answersEmptyForAUserWithNoContact() {
        assertThat(contacts().contact(user("amy"))).isEmpty();
    }

    @Test
    void keepsEveryFieldOfAContact() {
        Contact c = new Contact(user("bo"), "bo@example.org", "+33612345678", "fr-CA", ZoneId.of("America/Montreal"),
                "https://hooks.example.org/bo");

        contacts().putContact(c, now());

        assertThat(contacts().contact(c.userId())).contains(c);
    }

    @Test
    void replacesTheWholeContact() {
        String cy = user("cy");
        contacts().putContact(new Contact(cy, "cy@example.org", "+1555", "en", ZoneId.of("UTC"), "https://x.example"), now());
        Contact emailOnly = new Contact(cy, "new@example.org", null, null, null, null);

        contacts().putContact(emailOnly, now());

        assertThat(contacts().contact(cy)).contains(emailOnly);
    }

    @Test
    void keepsEveryFieldOfAWebPushDevice() {
        String di = user("di");
        Device d = new Device(ids.next(now()), di, Device.Platform.WEBPUSH, "https://push.example.org/send/abc",
                "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "tBHItJI5svbpez7KI4CCXg", now());

        Device stored = contacts().addDevice(d);

        assertThat(stored).isEqualTo(d);
        assertThat(contacts().devices(di)).containsExactly(d);
    }

    @Test
    void listsAUsersDevicesOldestFirst() {
        String ed = user("ed");
        Device phone = device(ed, Device.Platform.FCM, "fcm-" + run);
        Device tablet = device(ed, Device.Platform.APNS, "apns-" + run);
        Device someoneElses = device(user("flo"), Device.Platform.FCM, "fcm-other-" + run);
        contacts().addDevice(tablet);
        contacts().addDevice(someoneElses);
        contacts().addDevice(phone);

        assertThat(contacts().devices(ed)).containsExactly(phone, tablet);
    }

    @Test
    void keepsOneDeviceWithItsFirstIdWhenAUserRegistersATokenAgain() {
        String gil = user("gil");
        Device first = contacts().addDevice(device(gil, Device.Platform.FCM, "fcm-" + run));

        Device again = contacts().addDevice(device(gil, Device.Platform.FCM, "fcm-" + run));

        assertThat(again).isEqualTo(first);
        assertThat(contacts().devices(gil)).containsExactly(first);
    }

    @Test
    void movesATokenToTheUserWhoRegistersItLast() {
        String seller = user("hana"), buyer = user("ian");
        contacts().addDevice(device(seller, Device.Platform.APNS, "apns-" + run));
        Device sold = device(buyer, Device.Platform.APNS, "apns-" + run);

        Device stored = contacts().addDevice(sold);

        assertThat(stored).isEqualTo(sold);
        assertThat(contacts().devices(seller)).isEmpty();
        assertThat(contacts().devices(buyer)).containsExactly(sold);
    }

    @Test
    void registersTheSameTokenOnTwoPlatformsAsTwoDevices() {
        String jan = user("jan");
        Device fcm = contacts().addDevice(device(jan, Device.Platform.FCM, "same-" + run));
        Device apns = contacts().addDevice(device(jan, Device.Platform.APNS, "same-" + run));

        assertThat(contacts().devices(jan)).containsExactly(fcm, apns);
    }

    @Test
    void removesOneOfTheUsersDevicesAndNoOneElses() {
        String kai = user("kai"), lu = user("lu");
        Device mine = contacts().addDevice(device(kai, Device.Platform.FCM, "fcm-kai-" + run));
        Device theirs = contacts().addDevice(device(lu, Device.Platform.FCM, "fcm-lu-" + run));

        assertThat(contacts().removeDevice(kai, theirs.id())).isFalse();
        assertThat(contacts().removeDevice(kai, mine.id())).isTrue();
        assertThat(contacts().removeDevice(kai, mine.id())).isFalse();
        assertThat(contacts().devices(kai)).isEmpty();
        assertThat(contacts().devices(lu)).containsExactly(theirs);
    }

    @Test
    void removesATokenTheProviderSaysIsGone() {
        String mo = user("mo");
        contacts().addDevice(device(mo, Device.Platform.FCM, "gone-" + run));
        Device kept = contacts().addDevice(device(mo, Device.Platform.FCM, "kept-" + run));

        assertThat(contacts().removeToken(Device.Platform.FCM, "gone-" + run)).isTrue();
        assertThat(contacts().removeToken(Device.Platform.FCM, "gone-" + run)).isFalse();
        assertThat(contacts().removeToken(Device.Platform.APNS, "kept-" + run)).isFalse();
        assertThat(contacts().devices(mo)).containsExactly(kept);
    }
}
