#!/usr/bin/python3
"""Interop: PyKCS11 (Debian's python3-pykcs11) drives the module through its Python API.

Usage: /usr/bin/python3 pykcs11_test.py MODULE [TEST ...]
  TEST names a test class or method (e.g. CryptoTest, CryptoTest.test_digest); default all.
  MODULE may be SoftHSMv2's libsofthsm2.so to validate CryptoTest (the TokenTest cases check
  Craton specifics such as the manufacturer string); CryptoTest skips, with the reason, the few
  cases SoftHSM 2.6.1 cannot do, and only for SoftHSM.

Run it with Debian's /usr/bin/python3: PyKCS11 is installed for that interpreter only. The module
is pointed (CRATON_HSM_CONF) at a fresh temporary token directory with a cheap PIN KDF. One token
is initialised for the whole run (C_InitToken, C_InitPIN through the API); every test cleans up the
objects it creates. Exits 77 (ctest: skipped) when PyKCS11 is missing, non-zero on any failure.
"""

import hashlib
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
SOFTHSM = False  # validating against SoftHSMv2: CryptoTest skips what SoftHSM 2.6.1 cannot do
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
    # SoftHSMv2 ignores CRATON_HSM_CONF; give it its own file on the same token directory.
    softhsm_conf = os.path.join(workdir, "softhsm2.conf")
    with open(softhsm_conf, "w") as f:
        f.write(f"directories.tokendir = {workdir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.makedirs(os.path.join(workdir, "tokens"), exist_ok=True)
    os.environ["SOFTHSM2_CONF"] = softhsm_conf
    cert_der = make_certificate(workdir)

    lib = PyKCS11.PyKCS11Lib()
    lib.load(MODULE)

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

    def test_module_info(self):
        info = lib.getInfo()
        self.assertEqual(info.cryptokiVersion, (3, 2))

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


# ---- cryptography through the PyKCS11 API ---------------------------------------------------------
#
# Every result is checked independently: signatures by the openssl command line against the public
# key read from the token, ciphertexts against openssl or a published known answer, derived secrets
# against the other side's derivation.

CKM_AES_KEY_WRAP = 0x2109  # RFC 3394 (PyKCS11's name table is older than some numbers)
P256_OID = bytes.fromhex("06082a8648ce3d030107")


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_uint(value):
    b = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return der(0x02, b)


def rsa_spki(modulus, exponent):
    """SubjectPublicKeyInfo DER of an RSA public key (rsaEncryption, NULL parameters)."""
    alg = der(0x30, der(0x06, bytes.fromhex("2a864886f70d010101")) + b"\x05\x00")
    key = der(0x30, der_uint(int.from_bytes(modulus, "big")) + der_uint(int.from_bytes(exponent, "big")))
    return der(0x30, alg + der(0x03, b"\x00" + key))


def ec_spki(curve_oid_der, point):
    """SubjectPublicKeyInfo DER of an EC public key (id-ecPublicKey + named curve)."""
    alg = der(0x30, der(0x06, bytes.fromhex("2a8648ce3d0201")) + curve_oid_der)
    return der(0x30, alg + der(0x03, b"\x00" + point))


def raw_ec_point(ec_point, raw_len=65):
    """The point inside CKA_EC_POINT, which is a DER OCTET STRING (SoftHSM, our default) or the raw
    point of raw_len bytes (65: uncompressed P-256, 32: Ed25519) from some modules."""
    if len(ec_point) == raw_len:
        return ec_point
    tag, _, start, end = next(der_children(ec_point, 0, len(ec_point)))
    if tag != 0x04 or end != len(ec_point) or end - start != raw_len:
        raise AssertionError(f"CKA_EC_POINT is neither a raw {raw_len}-byte point nor its DER: {ec_point.hex()}")
    return ec_point[start:end]


def ecdsa_raw_to_der(sig):
    half = len(sig) // 2
    return der(0x30, der_uint(int.from_bytes(sig[:half], "big")) + der_uint(int.from_bytes(sig[half:], "big")))


def openssl(*args, data=None):
    """Runs the openssl command line; returns its stdout bytes (raises on failure)."""
    r = subprocess.run(["openssl", *args], input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed: {r.stderr.decode(errors='replace')}")
    return r.stdout


def write_file(name, data):
    path = os.path.join(workdir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


class CryptoTest(unittest.TestCase):
    """Key generation, sign/verify, encrypt/decrypt, wrap/unwrap, derive and digest; session keys."""

    def setUp(self):
        self.session = open_rw()
        self.session.login(USER_PIN)

    def tearDown(self):
        try:
            self.session.logout()
        except PyKCS11Error:
            pass
        self.session.closeSession()  # session objects go with it

    def softhsm_gap(self, reason):
        if SOFTHSM:
            self.skipTest(f"not validated on SoftHSMv2: {reason}")

    def assertRejected(self, rv, codes):
        """rv must be one of the CKR_* codes; SoftHSM 2.6.1 answers CKR_GENERAL_ERROR to failed
        decryptions/unwraps (tag, padding), so against SoftHSM only the failure itself is checked."""
        if SOFTHSM:
            self.assertNotEqual(rv, PyKCS11.CKR_OK)
        else:
            self.assertIn(rv, codes)

    def rv(self, call, *args):
        """The CKR_* code a call fails with (CKR_OK if it succeeds)."""
        try:
            call(*args)
        except PyKCS11Error as e:
            return e.value
        return PyKCS11.CKR_OK

    # -- key helpers ---------------------------------------------------------------------------------

    def aes_key(self, value=None, length=32, extractable=False, **extra):
        template = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_AES),
                    (PyKCS11.CKA_TOKEN, False), (PyKCS11.CKA_ENCRYPT, True), (PyKCS11.CKA_DECRYPT, True),
                    (PyKCS11.CKA_WRAP, True), (PyKCS11.CKA_UNWRAP, True),
                    (PyKCS11.CKA_EXTRACTABLE, extractable), (PyKCS11.CKA_SENSITIVE, not extractable)]
        template += list(extra.items())
        if value is not None:
            return self.session.createObject(template + [(PyKCS11.CKA_VALUE, value)])
        return self.session.generateKey(template + [(PyKCS11.CKA_VALUE_LEN, length)],
                                        mecha=PyKCS11.MechanismAESGENERATEKEY)

    def rsa_pair(self, bits=2048):
        pub = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_TOKEN, False),
               (PyKCS11.CKA_MODULUS_BITS, bits), (PyKCS11.CKA_PUBLIC_EXPONENT, (0x01, 0x00, 0x01)),
               (PyKCS11.CKA_VERIFY, True), (PyKCS11.CKA_ENCRYPT, True)]
        priv = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_TOKEN, False),
                (PyKCS11.CKA_PRIVATE, True), (PyKCS11.CKA_SENSITIVE, True),
                (PyKCS11.CKA_SIGN, True), (PyKCS11.CKA_DECRYPT, True)]
        return self.session.generateKeyPair(pub, priv, mecha=PyKCS11.MechanismRSAGENERATEKEYPAIR)

    def ec_pair(self, oid=P256_OID, derive=False):
        pub = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_TOKEN, False),
               (PyKCS11.CKA_EC_PARAMS, oid), (PyKCS11.CKA_VERIFY, True)]
        priv = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_TOKEN, False),
                (PyKCS11.CKA_PRIVATE, True), (PyKCS11.CKA_SENSITIVE, True), (PyKCS11.CKA_SIGN, True),
                (PyKCS11.CKA_DERIVE, derive)]
        return self.session.generateKeyPair(pub, priv, mecha=PyKCS11.MechanismECGENERATEKEYPAIR)

    def attr(self, key, a):
        return bytes(self.session.getAttributeValue(key, [a], allAsBinary=True)[0])

    def rsa_pem(self, pub):
        der_key = rsa_spki(self.attr(pub, PyKCS11.CKA_MODULUS), self.attr(pub, PyKCS11.CKA_PUBLIC_EXPONENT))
        return write_file("rsa-pub.der", der_key)

    def ec_pem(self, pub):
        point = raw_ec_point(self.attr(pub, PyKCS11.CKA_EC_POINT))
        return write_file("ec-pub.der", ec_spki(self.attr(pub, PyKCS11.CKA_EC_PARAMS), point))

    def openssl_verify(self, pubder, msg, sig, *opts):
        m = write_file("msg.bin", msg)
        s = write_file("sig.bin", sig)
        out = openssl("dgst", "-sha256", "-keyform", "DER", "-verify", pubder, *opts, "-signature", s, m)
        self.assertIn(b"Verified OK", out)

    # -- digest --------------------------------------------------------------------------------------

    def test_digest(self):
        msg = os.urandom(3000)
        for mech, name in ((PyKCS11.CKM_SHA_1, "sha1"), (PyKCS11.CKM_SHA256, "sha256"),
                           (PyKCS11.CKM_SHA384, "sha384"), (PyKCS11.CKM_SHA512, "sha512")):
            with self.subTest(name):
                got = bytes(self.session.digest(msg, PyKCS11.Mechanism(mech, None)))
                self.assertEqual(got, hashlib.new(name, msg).digest())
                d = self.session.digestSession(PyKCS11.Mechanism(mech, None))
                for i in range(0, len(msg), 700):
                    d.update(msg[i:i + 700])
                self.assertEqual(bytes(d.final()), hashlib.new(name, msg).digest())

    def test_digest_sha3(self):
        self.softhsm_gap("no SHA-3")
        msg = os.urandom(1000)
        got = bytes(self.session.digest(msg, PyKCS11.Mechanism(PyKCS11.CKM_SHA3_256, None)))
        self.assertEqual(got, hashlib.sha3_256(msg).digest())

    # (An empty input cannot be tested from here: PyKCS11 1.5.12 answers CKR_ARGUMENTS_BAD for an empty
    # buffer itself, without calling the module -- seen with a breakpoint on the module's C_Digest.
    # The API tests send (NULL, 0) directly.)

    # -- AES -----------------------------------------------------------------------------------------

    def test_aes_generate(self):
        for n in (16, 24, 32):
            if n == 24 and SOFTHSM:
                continue  # SoftHSM 2.6.1 generates AES-128/256 only (keySize={16,32})
            with self.subTest(n):
                k = self.aes_key(length=n)
                ktype, vlen, local, sensitive = self.session.getAttributeValue(
                    k, [PyKCS11.CKA_KEY_TYPE, PyKCS11.CKA_VALUE_LEN, PyKCS11.CKA_LOCAL, PyKCS11.CKA_SENSITIVE])
                self.assertEqual((ktype, vlen, local, sensitive), (PyKCS11.CKK_AES, n, True, True))
                # PyKCS11 turns CKR_ATTRIBUTE_SENSITIVE into None
                self.assertIsNone(self.session.getAttributeValue(k, [PyKCS11.CKA_VALUE])[0])

    def test_aes_gcm_known_answer(self):
        # The GCM specification's test case 2 (McGrew & Viega): all-zero key, IV and block.
        k = self.aes_key(value=bytes(16))
        mech = PyKCS11.AES_GCM_Mechanism(bytes(12), b"", 128)
        ct = bytes(self.session.encrypt(k, bytes(16), mech))
        self.assertEqual(ct.hex(), "0388dace60b6a392f328c2b971b2fe78" "ab6e47d42cec13bdf53a67b21257bddf")
        self.assertEqual(bytes(self.session.decrypt(k, ct, mech)), bytes(16))

    def test_aes_gcm_round_trip_and_tamper(self):
        k = self.aes_key()
        iv, aad, msg = os.urandom(12), os.urandom(30), os.urandom(1000)
        for tag_bits in (128, 96):
            with self.subTest(tag_bits=tag_bits):
                mech = PyKCS11.AES_GCM_Mechanism(iv, aad, tag_bits)
                ct = bytes(self.session.encrypt(k, msg, mech))
                self.assertEqual(len(ct), len(msg) + tag_bits // 8)
                self.assertEqual(bytes(self.session.decrypt(k, ct, mech)), msg)
                bad = ct[:-1] + bytes([ct[-1] ^ 1])
                # PKCS#11 3.0 says CKR_ENCRYPTED_DATA_INVALID for a failed tag check; 3.x added
                # CKR_AEAD_DECRYPT_FAILED. Accept either, nothing else.
                self.assertRejected(self.rv(self.session.decrypt, k, bad, mech),
                                    (PyKCS11.CKR_ENCRYPTED_DATA_INVALID, 0x42))
                other = PyKCS11.AES_GCM_Mechanism(iv, aad + b"x", tag_bits)
                self.assertRejected(self.rv(self.session.decrypt, k, ct, other),
                                    (PyKCS11.CKR_ENCRYPTED_DATA_INVALID, 0x42))

    def test_aes_cbc_pad_matches_openssl(self):
        key, iv = os.urandom(32), os.urandom(16)
        k = self.aes_key(value=key)
        mech = PyKCS11.Mechanism(PyKCS11.CKM_AES_CBC_PAD, iv)
        for n in (1, 15, 16, 17, 1000):  # 0: test_aes_cbc_pad_empty_input
            with self.subTest(n=n):
                msg = os.urandom(n)
                ct = bytes(self.session.encrypt(k, msg, mech))
                expected = openssl("enc", "-aes-256-cbc", "-K", key.hex(), "-iv", iv.hex(), data=msg)
                self.assertEqual(ct, expected)
                self.assertEqual(bytes(self.session.decrypt(k, ct, mech)), msg)
        bad = bytes(self.session.encrypt(k, b"x" * 20, mech))
        self.assertEqual(self.rv(self.session.decrypt, k, bad[:-1], mech), PyKCS11.CKR_ENCRYPTED_DATA_LEN_RANGE)

    # -- RSA -----------------------------------------------------------------------------------------

    def test_rsa_generate(self):
        pub, priv = self.rsa_pair()
        modulus = self.attr(pub, PyKCS11.CKA_MODULUS)
        self.assertEqual(len(modulus), 256)
        self.assertTrue(modulus[0] & 0x80)
        self.assertEqual(self.attr(pub, PyKCS11.CKA_PUBLIC_EXPONENT).lstrip(b"\0"), b"\x01\x00\x01")
        self.assertEqual(self.attr(priv, PyKCS11.CKA_MODULUS), modulus)

    def test_rsa_pkcs1_sign_verify(self):
        pub, priv = self.rsa_pair()
        msg = os.urandom(500)
        mech = PyKCS11.Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS, None)
        sig = bytes(self.session.sign(priv, msg, mech))
        self.assertEqual(len(sig), 256)
        self.assertTrue(self.session.verify(pub, msg, sig, mech))
        self.assertFalse(self.session.verify(pub, msg + b"x", sig, mech))  # CKR_SIGNATURE_INVALID
        self.openssl_verify(self.rsa_pem(pub), msg, sig)
        self.assertEqual(bytes(self.session.sign(priv, msg, mech)), sig)  # deterministic

    def test_rsa_pss_sign_verify(self):
        pub, priv = self.rsa_pair()
        msg = os.urandom(500)
        mech = PyKCS11.RSA_PSS_Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS_PSS, PyKCS11.CKM_SHA256,
                                         PyKCS11.CKG_MGF1_SHA256, 32)
        sig = bytes(self.session.sign(priv, msg, mech))
        self.assertTrue(self.session.verify(pub, msg, sig, mech))
        self.assertFalse(self.session.verify(pub, msg[1:], sig, mech))
        self.openssl_verify(self.rsa_pem(pub), msg, sig, "-sigopt", "rsa_padding_mode:pss",
                            "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256")
        self.assertNotEqual(bytes(self.session.sign(priv, msg, mech)), sig)  # random salt

    def oaep_round_trip(self, hash_mech, mgf, label, openssl_md):
        pub, priv = self.rsa_pair()
        msg = os.urandom(40)
        mech = PyKCS11.RSAOAEPMechanism(hash_mech, mgf, label)
        ct = bytes(self.session.encrypt(pub, msg, mech))
        self.assertEqual(bytes(self.session.decrypt(priv, ct, mech)), msg)
        # openssl encrypts with the exported key; the token decrypts
        opts = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", f"rsa_oaep_md:{openssl_md}",
                "-pkeyopt", f"rsa_mgf1_md:{openssl_md}"]
        if label:
            opts += ["-pkeyopt", f"rsa_oaep_label:{label.hex()}"]
        ct2 = openssl("pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", self.rsa_pem(pub),
                      *opts, data=msg)
        self.assertEqual(bytes(self.session.decrypt(priv, ct2, mech)), msg)
        bad = ct2[:100] + bytes([ct2[100] ^ 1]) + ct2[101:]
        self.assertRejected(self.rv(self.session.decrypt, priv, bad, mech), (PyKCS11.CKR_ENCRYPTED_DATA_INVALID,))

    def test_rsa_oaep_sha1(self):
        self.oaep_round_trip(PyKCS11.CKM_SHA_1, PyKCS11.CKG_MGF1_SHA1, None, "sha1")

    def test_rsa_oaep_sha256_with_label(self):
        self.softhsm_gap("OAEP with SHA-1 and no label only")
        self.oaep_round_trip(PyKCS11.CKM_SHA256, PyKCS11.CKG_MGF1_SHA256, b"craton label", "sha256")

    # -- EC ------------------------------------------------------------------------------------------

    def test_ec_generate(self):
        pub, priv = self.ec_pair()
        self.assertEqual(self.attr(pub, PyKCS11.CKA_EC_PARAMS), P256_OID)
        point = raw_ec_point(self.attr(pub, PyKCS11.CKA_EC_POINT))
        self.assertEqual((len(point), point[0]), (65, 0x04))
        self.assertEqual(self.attr(priv, PyKCS11.CKA_EC_PARAMS), P256_OID)

    def test_ecdsa_raw_sign_verify(self):
        pub, priv = self.ec_pair()
        msg = os.urandom(700)
        digest = hashlib.sha256(msg).digest()
        mech = PyKCS11.Mechanism(PyKCS11.CKM_ECDSA, None)
        sig = bytes(self.session.sign(priv, digest, mech))
        self.assertEqual(len(sig), 64)
        self.assertTrue(self.session.verify(pub, digest, sig, mech))
        self.assertFalse(self.session.verify(pub, hashlib.sha256(msg + b"x").digest(), sig, mech))
        self.openssl_verify(self.ec_pem(pub), msg, ecdsa_raw_to_der(sig))

    def test_ecdsa_sha256_sign_verify(self):
        self.softhsm_gap("raw CKM_ECDSA only")
        pub, priv = self.ec_pair()
        msg = os.urandom(700)
        mech = PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA256, None)
        sig = bytes(self.session.sign(priv, msg, mech))
        self.assertTrue(self.session.verify(pub, msg, sig, mech))
        self.assertFalse(self.session.verify(pub, msg + b"x", sig, mech))
        self.openssl_verify(self.ec_pem(pub), msg, ecdsa_raw_to_der(sig))

    def test_ed25519_sign_verify(self):
        pub, priv = self.session.generateKeyPair(
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_TOKEN, False),
             (PyKCS11.CKA_EC_PARAMS, bytes.fromhex("06032b6570")), (PyKCS11.CKA_VERIFY, True)],
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_TOKEN, False),
             (PyKCS11.CKA_PRIVATE, True), (PyKCS11.CKA_SIGN, True)],
            mecha=PyKCS11.Mechanism(PyKCS11.CKM_EC_EDWARDS_KEY_PAIR_GEN, None))
        msg = os.urandom(300)
        mech = PyKCS11.Mechanism(PyKCS11.CKM_EDDSA, None)
        sig = bytes(self.session.sign(priv, msg, mech))
        self.assertEqual(len(sig), 64)
        self.assertEqual(bytes(self.session.sign(priv, msg, mech)), sig)  # deterministic
        self.assertTrue(self.session.verify(pub, msg, sig, mech))
        self.assertFalse(self.session.verify(pub, msg + b"x", sig, mech))
        point = raw_ec_point(self.attr(pub, PyKCS11.CKA_EC_POINT), 32)
        spki = der(0x30, der(0x30, der(0x06, bytes.fromhex("2b6570"))) + der(0x03, b"\x00" + point))
        out = openssl("pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", write_file("ed.der", spki),
                      "-rawin", "-in", write_file("msg.bin", msg), "-sigfile", write_file("sig.bin", sig))
        self.assertIn(b"Signature Verified Successfully", out)

    # -- wrap / unwrap -------------------------------------------------------------------------------

    def test_aes_key_wrap_known_answer(self):
        # RFC 3394 section 4.1: 128-bit key data wrapped with a 128-bit KEK.
        kek = self.aes_key(value=bytes.fromhex("000102030405060708090a0b0c0d0e0f"))
        data = self.aes_key(value=bytes.fromhex("00112233445566778899aabbccddeeff"), extractable=True)
        wrapped = bytes(self.session.wrapKey(kek, data, PyKCS11.Mechanism(CKM_AES_KEY_WRAP, None)))
        self.assertEqual(wrapped.hex(), "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")

    def test_aes_key_wrap_unwrap(self):
        kek = self.aes_key()
        secret = os.urandom(32)
        inner = self.aes_key(value=secret, extractable=True)
        mech = PyKCS11.Mechanism(CKM_AES_KEY_WRAP, None)
        wrapped = bytes(self.session.wrapKey(kek, inner, mech))
        self.assertEqual(len(wrapped), 40)
        template = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY), (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_AES),
                    (PyKCS11.CKA_TOKEN, False), (PyKCS11.CKA_ENCRYPT, True), (PyKCS11.CKA_DECRYPT, True),
                    (PyKCS11.CKA_EXTRACTABLE, True), (PyKCS11.CKA_SENSITIVE, False)]
        unwrapped = self.session.unwrapKey(kek, wrapped, template, mech)
        self.assertEqual(self.attr(unwrapped, PyKCS11.CKA_VALUE), secret)
        # the unwrapped key encrypts like the original
        cbc = PyKCS11.Mechanism(PyKCS11.CKM_AES_CBC_PAD, bytes(16))
        self.assertEqual(bytes(self.session.encrypt(unwrapped, b"abc", cbc)),
                         bytes(self.session.encrypt(inner, b"abc", cbc)))
        bad = wrapped[:-1] + bytes([wrapped[-1] ^ 1])
        self.assertRejected(self.rv(self.session.unwrapKey, kek, bad, template, mech),
                            (PyKCS11.CKR_WRAPPED_KEY_INVALID, PyKCS11.CKR_ENCRYPTED_DATA_INVALID))
        # a sensitive, non-extractable key cannot be wrapped
        locked = self.aes_key()
        self.assertEqual(self.rv(self.session.wrapKey, kek, locked, mech), PyKCS11.CKR_KEY_UNEXTRACTABLE)

    # -- derive --------------------------------------------------------------------------------------

    def test_ecdh1_derive_both_sides_agree(self):
        pub_a, priv_a = self.ec_pair(derive=True)
        pub_b, priv_b = self.ec_pair(derive=True)
        template = [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY),
                    (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_GENERIC_SECRET), (PyKCS11.CKA_TOKEN, False),
                    (PyKCS11.CKA_VALUE_LEN, 32), (PyKCS11.CKA_EXTRACTABLE, True), (PyKCS11.CKA_SENSITIVE, False)]
        point_a = raw_ec_point(self.attr(pub_a, PyKCS11.CKA_EC_POINT))
        point_b = raw_ec_point(self.attr(pub_b, PyKCS11.CKA_EC_POINT))
        k_ab = self.session.deriveKey(priv_a, template, PyKCS11.ECDH1_DERIVE_Mechanism(point_b))
        k_ba = self.session.deriveKey(priv_b, template, PyKCS11.ECDH1_DERIVE_Mechanism(point_a))
        z_ab, z_ba = self.attr(k_ab, PyKCS11.CKA_VALUE), self.attr(k_ba, PyKCS11.CKA_VALUE)
        self.assertEqual(len(z_ab), 32)
        self.assertEqual(z_ab, z_ba)
        # a third party's key gives another secret
        pub_c, _ = self.ec_pair(derive=True)
        point_c = raw_ec_point(self.attr(pub_c, PyKCS11.CKA_EC_POINT))
        k_ac = self.session.deriveKey(priv_a, template, PyKCS11.ECDH1_DERIVE_Mechanism(point_c))
        self.assertNotEqual(self.attr(k_ac, PyKCS11.CKA_VALUE), z_ab)
        # a point not on the curve is refused
        bad = point_b[:-1] + bytes([point_b[-1] ^ 1])
        self.assertNotEqual(self.rv(self.session.deriveKey, priv_a, template,
                                    PyKCS11.ECDH1_DERIVE_Mechanism(bad)), PyKCS11.CKR_OK)


def main():
    global MODULE
    global SOFTHSM
    if len(sys.argv) < 2:
        print("usage: /usr/bin/python3 pykcs11_test.py MODULE [TEST ...]", file=sys.stderr)
        return 2
    MODULE = os.path.abspath(sys.argv[1])
    SOFTHSM = os.path.basename(os.path.realpath(MODULE)) == "libsofthsm2.so"
    loader = unittest.defaultTestLoader
    if len(sys.argv) > 2:
        suite = loader.loadTestsFromNames(sys.argv[2:], sys.modules[__name__])
    else:
        suite = loader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = max(0, result.testsRun - failed - skipped)
    print(f"PyKCS11 interop: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
