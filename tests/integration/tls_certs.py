"""Certificates for the SSL_GET tests, made with python3-cryptography: a CA,
server certificates it signs (valid, or expired), a self-signed server
certificate, and a client certificate.  Each is written as NAME.pem
(certificate) and NAME.key (unencrypted key) in a directory."""
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DAY = datetime.timedelta(days=1)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(directory, name, cert, key, password=None):
    enc = (serialization.BestAvailableEncryption(password.encode()) if password
           else serialization.NoEncryption())
    (directory / (name + ".pem")).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / (name + ".key")).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))


def _cert(cn, key, issuer_name, issuer_key, not_before, not_after, ca=False):
    b = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(issuer_name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def make_all(directory):
    """ca, good (signed by ca, CN rs.example), expired (signed by ca,
    ended yesterday), selfsigned, client (signed by ca; its key is
    encrypted with the password "secret")."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("test CA", ca_key, _name("test CA"), ca_key, now - DAY, now + 30 * DAY, ca=True)
    _write(directory, "ca", ca, ca_key)
    for name, start, end, password in (("good", now - DAY, now + 30 * DAY, None),
                                       ("expired", now - 30 * DAY, now - DAY, None),
                                       ("client", now - DAY, now + 30 * DAY, "secret")):
        key = ec.generate_private_key(ec.SECP256R1())
        cn = "client.example" if name == "client" else "rs.example"
        _write(directory, name, _cert(cn, key, ca.subject, ca_key, start, end), key, password)
    key = ec.generate_private_key(ec.SECP256R1())
    _write(directory, "selfsigned",
           _cert("rs.example", key, _name("rs.example"), key, now - DAY, now + 30 * DAY), key)
