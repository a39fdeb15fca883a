#!/usr/bin/python3
"""Interop: PyKCS11 (Debian's python3-pykcs11) drives the module through its Python API.

Usage: /usr/bin/python3 pykcs11_test.py MODULE

Run it with Debian's /usr/bin/python3: PyKCS11 is installed for that interpreter only. The module
is pointed (CRATON_HSM_CONF) at a fresh temporary token directory with a cheap PIN KDF. One token
is initialised for the whole run (C_InitToken, C_InitPIN through the API); every test cleans up the
objects it creates. Exits 77 (ctest: skipped) when PyKCS11 is missing, non-zero on any failure.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import PyKCS11
    from PyKCS11 import LowLevel as LL
    from PyKCS11 import PyKCS11Error
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: PyKCS11 not importable by {sys.executable} ({e}); install python3-pykcs11")
    sys.exit(77)

MODULE = None
SO_PIN = "so-pin-0000"
USER_PIN = "user-pin-0000"
TOKEN_LABEL = "pykcs11"

lib = None
slot = None
workdir = None
cert_der = None


# ---- helpers -------------------------------------------------------------------------------------

def der_children(der, offset, end):
    """Yields (tag, start_of_header, start_of_content, end) for each DER element in der[offset:end]."""
    while offset < end:
        tag = der[offset]
        length = der[offset + 1]
        header = 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(der[offset + 2:offset + 2 + n], "big")
            header += n
        yield tag, offset, offset + header, offset + header + length
        offset += header + length


def certificate_fields(der):
    """Returns (serial_der, issuer_der, subject_der) of an X.509 certificate (RFC 5280 layout)."""
    _, _, cert_body, cert_end = next(der_children(der, 0, len(der)))
    _, _, tbs_body, tbs_end = next(der_children(der, cert_body, cert_end))
    fields = [der[s:e] for tag, s, _, e in der_children(der, tbs_body, tbs_end)]
    if fields[0][0] == 0xA0:  # explicit [0] version
        fields = fields[1:]
    serial, _sig_alg, issuer, _validity, subject = fields[:5]
    return serial, issuer, subject


def make_certificate(directory):
    """A self-signed certificate made by the openssl command line (DER bytes)."""
    out = os.path.join(directory, "cert.der")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", os.path.join(directory, "key.pem"), "-subj", "/CN=PyKCS11 interop/O=Craton HSM",
         "-days", "30", "-outform", "DER", "-out", out],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def token_flags():
    return lib.getTokenInfo(slot).flags


def open_rw():
    return lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)


def H(n):
    """A PyKCS11 object handle for the integer n (PyKCS11 hands out handle objects without ==)."""
    h = LL.CK_OBJECT_HANDLE()
    h.assign(n)
    return h


def rv_of(error):
    return error.value if isinstance(error, PyKCS11Error) else None


def setUpModule():
    global lib, slot, workdir, cert_der
    workdir = tempfile.mkdtemp(prefix="craton-pykcs11-")
    conf = os.path.join(workdir, "craton.conf")
    with open(conf, "w") as f:
        f.write(f"directories.tokendir = {workdir}/tokens\n"
                "pin.kdf_iterations = 1000\n"
                "pin.max_failures = 10\n"
                f"log.file = {workdir}/craton.log\n")
    os.environ["CRATON_HSM_CONF"] = conf
    os.environ.pop("CRATON_HSM_TOKENDIR", None)
    cert_der = make_certificate(workdir)

    lib = PyKCS11.PyKCS11Lib()
    lib.load(MODULE)
    info = lib.getInfo()
    assert info.cryptokiVersion == (3, 2), info.cryptokiVersion

    free = [s for s in lib.getSlotList(tokenPresent=False)
            if not lib.getTokenInfo(s).flags & PyKCS11.CKF_TOKEN_INITIALIZED]
    assert free, "no slot with an uninitialised token"
    # The label is a blank-padded 32-byte field; PyKCS11 1.5.12 passes the string as given (no
    # padding), so the module would read past its end. Pad it here.
    lib.initToken(free[0], SO_PIN, TOKEN_LABEL.ljust(32))
    slot = next(s for s in lib.getSlotList(tokenPresent=True)
                if lib.getTokenInfo(s).label.strip() == TOKEN_LABEL)
    session = open_rw()
    session.login(SO_PIN, user_type=PyKCS11.CKU_SO)
    session.initPin(USER_PIN)
    session.logout()
    session.closeSession()


def tearDownModule():
    global lib
    if lib is not None:
        lib.closeAllSessions(slot)
        del lib
    shutil.rmtree(workdir, ignore_errors=True)


# ---- tests ---------------------------------------------------------------------------------------

class TokenTest(unittest.TestCase):

    def setUp(self):
        self.session = open_rw()
        self.session.login(USER_PIN)
        self.created = []

    def tearDown(self):
        for h in self.created:
            try:
                self.session.destroyObject(H(h))
            except PyKCS11Error:
                pass  # destroyed by the test itself
        try:
            self.session.logout()
        except PyKCS11Error:
            pass
        self.session.closeSession()

    def create(self, template):
        """Creates an object through self.session; returns its handle as an int."""
        h = self.session.createObject(template).value()
        self.created.append(h)
        return h

    def data_template(self, label, value=b"value", token=True, private=False):
        return [(PyKCS11.CKA_CLASS, PyKCS11.CKO_DATA),
                (PyKCS11.CKA_TOKEN, token),
                (PyKCS11.CKA_PRIVATE, private),
                (PyKCS11.CKA_LABEL, label),
                (PyKCS11.CKA_VALUE, value)]

    def cert_template(self, label, cert_id):
        serial, issuer, subject = certificate_fields(cert_der)
        return [(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
                (PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKC_X_509),
                (PyKCS11.CKA_TOKEN, True),
                (PyKCS11.CKA_LABEL, label),
                (PyKCS11.CKA_ID, cert_id),
                (PyKCS11.CKA_SUBJECT, subject),
                (PyKCS11.CKA_ISSUER, issuer),
                (PyKCS11.CKA_SERIAL_NUMBER, serial),
                (PyKCS11.CKA_VALUE, cert_der)]

    def find(self, template, session=None):
        """C_FindObjects* with the template; returns the handles found as ints."""
        return [h.value() for h in (session or self.session).findObjects(template)]

    def get(self, h, types, binary=False, session=None):
        return (session or self.session).getAttributeValue(H(h), types, allAsBinary=binary)

    # -- token information ------------------------------------------------------------------

    def test_token_info_flags(self):
        info = lib.getTokenInfo(slot)
        self.assertEqual(info.label.strip(), TOKEN_LABEL)
        self.assertEqual(info.manufacturerID.strip(), "Craton HSM Project")
        for flag in (PyKCS11.CKF_TOKEN_INITIALIZED, PyKCS11.CKF_USER_PIN_INITIALIZED,
                     PyKCS11.CKF_LOGIN_REQUIRED, PyKCS11.CKF_RNG):
            self.assertTrue(info.flags & flag, PyKCS11.CKF[flag])
        self.assertFalse(info.flags & PyKCS11.CKF_USER_PIN_COUNT_LOW)

    def test_wrong_pin_sets_count_low_until_a_good_login(self):
        other = lib.openSession(slot)
        try:
            with self.assertRaises(PyKCS11Error) as cm:
                other.login("wrong-pin")
            # Already logged in through self.session: a second login is refused before the PIN is
            # checked, so log out everywhere first and try again.
            self.assertEqual(rv_of(cm.exception), PyKCS11.CKR_USER_ALREADY_LOGGED_IN)
            self.session.logout()
            with self.assertRaises(PyKCS11Error) as cm:
                other.login("wrong-pin")
            self.assertEqual(rv_of(cm.exception), PyKCS11.CKR_PIN_INCORRECT)
            self.assertTrue(token_flags() & PyKCS11.CKF_USER_PIN_COUNT_LOW)
            self.assertFalse(token_flags() & PyKCS11.CKF_USER_PIN_LOCKED)
            other.login(USER_PIN)
            self.assertFalse(token_flags() & PyKCS11.CKF_USER_PIN_COUNT_LOW)
        finally:
            other.closeSession()
            try:
                self.session.login(USER_PIN)
            except PyKCS11Error as e:  # still logged in through `other`'s login: login state is per token
                if rv_of(e) != PyKCS11.CKR_USER_ALREADY_LOGGED_IN:
                    raise

    # -- objects ------------------------------------------------------------------------------

    def test_data_object_attributes_round_trip(self):
        value = bytes(range(256)) * 4
        oid = bytes.fromhex("06062b0601040182")  # a DER OBJECT IDENTIFIER
        h = self.create(self.data_template("roundtrip", value) +
                        [(PyKCS11.CKA_APPLICATION, "craton-tests"), (PyKCS11.CKA_OBJECT_ID, oid)])
        cls, token, private, label, got_value, app, got_oid = self.get(
            h, [PyKCS11.CKA_CLASS, PyKCS11.CKA_TOKEN, PyKCS11.CKA_PRIVATE, PyKCS11.CKA_LABEL,
                PyKCS11.CKA_VALUE, PyKCS11.CKA_APPLICATION, PyKCS11.CKA_OBJECT_ID])
        self.assertEqual(cls, PyKCS11.CKO_DATA)
        self.assertTrue(token)
        self.assertFalse(private)
        self.assertEqual(label, "roundtrip")
        self.assertEqual(bytes(got_value), value)
        self.assertEqual(app, "craton-tests")
        self.assertEqual(bytes(got_oid), oid)

    def test_certificate_attributes_round_trip(self):
        h = self.create(self.cert_template("cert-rt", b"\x01\x02"))
        serial, issuer, subject = certificate_fields(cert_der)
        got = self.get(h, [PyKCS11.CKA_VALUE, PyKCS11.CKA_ID, PyKCS11.CKA_SUBJECT,
                             PyKCS11.CKA_ISSUER, PyKCS11.CKA_SERIAL_NUMBER], binary=True)
        self.assertEqual([bytes(v) for v in got], [cert_der, b"\x01\x02", subject, issuer, serial])
        cls, ctype, label = self.get(
            h, [PyKCS11.CKA_CLASS, PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKA_LABEL])
        self.assertEqual((cls, ctype, label), (PyKCS11.CKO_CERTIFICATE, PyKCS11.CKC_X_509, "cert-rt"))

    def test_set_attribute_value(self):
        h = self.create(self.data_template("before"))
        self.session.setAttributeValue(H(h), [(PyKCS11.CKA_LABEL, "after")])
        self.assertEqual(self.get(h, [PyKCS11.CKA_LABEL])[0], "after")
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "before")]), [])
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "after")]), [h])

    def test_find_by_label_id_class_and_combination(self):
        d1 = self.create(self.data_template("find-a"))
        d2 = self.create(self.data_template("find-b"))
        c1 = self.create(self.cert_template("find-a", b"\xa1"))
        c2 = self.create(self.cert_template("find-c", b"\xa2"))

        self.assertCountEqual(self.find([(PyKCS11.CKA_LABEL, "find-a")]), [d1, c1])
        self.assertCountEqual(self.find([(PyKCS11.CKA_LABEL, "find-b")]), [d2])
        self.assertCountEqual(self.find([(PyKCS11.CKA_ID, b"\xa2")]), [c2])
        self.assertCountEqual(self.find([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)]), [c1, c2])
        self.assertCountEqual(self.find([(PyKCS11.CKA_CLASS, PyKCS11.CKO_DATA)]), [d1, d2])
        self.assertCountEqual(self.find([(PyKCS11.CKA_CLASS, PyKCS11.CKO_DATA),
                                         (PyKCS11.CKA_LABEL, "find-a")]), [d1])
        self.assertCountEqual(self.find([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
                                         (PyKCS11.CKA_LABEL, "find-a"), (PyKCS11.CKA_ID, b"\xa1")]), [c1])
        self.assertEqual(self.find([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
                                    (PyKCS11.CKA_ID, b"\xa1"), (PyKCS11.CKA_LABEL, "find-c")]), [])
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "no-such-label")]), [])
        self.assertCountEqual(self.find([]), [d1, d2, c1, c2])

    def test_destroy(self):
        h = self.create(self.data_template("doomed"))
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "doomed")]), [h])
        self.session.destroyObject(H(h))
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "doomed")]), [])
        with self.assertRaises(PyKCS11Error) as cm:
            self.get(h, [PyKCS11.CKA_LABEL])
        self.assertEqual(rv_of(cm.exception), PyKCS11.CKR_OBJECT_HANDLE_INVALID)

    def test_token_objects_persist_across_sessions(self):
        h = self.create(self.data_template("persistent", b"kept"))
        other = lib.openSession(slot)
        try:
            found = self.find([(PyKCS11.CKA_LABEL, "persistent")], session=other)
            self.assertEqual(len(found), 1)
            self.assertEqual(bytes(self.get(found[0], [PyKCS11.CKA_VALUE], True, session=other)[0]), b"kept")
        finally:
            other.closeSession()
        self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "persistent")]), [h])

    def test_private_objects_invisible_without_login(self):
        self.create(self.data_template("secret", b"hidden", private=True))
        public = self.create(self.data_template("public", b"shown"))
        self.assertEqual(len(self.find([(PyKCS11.CKA_LABEL, "secret")])), 1)
        self.session.logout()
        try:
            self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "secret")]), [])
            self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "public")]), [public])
            self.assertNotIn("secret", [self.get(h, [PyKCS11.CKA_LABEL])[0] for h in self.find([])])
        finally:
            self.session.login(USER_PIN)
        self.assertEqual(len(self.find([(PyKCS11.CKA_LABEL, "secret")])), 1)

    def test_session_objects_vanish_when_their_session_closes(self):
        other = open_rw()
        closed = False
        try:
            h = other.createObject(self.data_template("ephemeral", b"gone soon", token=False)).value()
            self.assertFalse(self.get(h, [PyKCS11.CKA_TOKEN], session=other)[0])
            # Session objects are visible to every session of the application while they live.
            self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "ephemeral")]), [h])
            other.closeSession()
            closed = True
            self.assertEqual(self.find([(PyKCS11.CKA_LABEL, "ephemeral")]), [])
            with self.assertRaises(PyKCS11Error) as cm:
                self.get(h, [PyKCS11.CKA_LABEL])
            self.assertEqual(rv_of(cm.exception), PyKCS11.CKR_OBJECT_HANDLE_INVALID)
        finally:
            if not closed:
                other.closeSession()

    def test_generate_random(self):
        for n in (1, 16, 32, 1000, 4096):
            self.assertEqual(len(self.session.generateRandom(n)), n)
        self.assertNotEqual(bytes(self.session.generateRandom(32)), bytes(self.session.generateRandom(32)))

    def test_read_only_session_cannot_create_token_objects(self):
        ro = lib.openSession(slot)
        try:
            with self.assertRaises(PyKCS11Error) as cm:
                ro.createObject(self.data_template("ro"))
            self.assertEqual(rv_of(cm.exception), PyKCS11.CKR_SESSION_READ_ONLY)
        finally:
            ro.closeSession()


def main():
    global MODULE
    if len(sys.argv) != 2:
        print("usage: /usr/bin/python3 pykcs11_test.py MODULE", file=sys.stderr)
        return 2
    MODULE = os.path.abspath(sys.argv[1])
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = max(0, result.testsRun - failed - skipped)
    print(f"PyKCS11 interop: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
