package dev.petlet.sandbox.pki;

import java.security.PrivateKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the pre-PKCS#8 key formats that openssl and Go's kubeadm write: PKCS#1 {@code RSA PRIVATE
 * KEY} and SEC1 {@code EC PRIVATE KEY}. A class of its own so that BouncyCastle is only loaded when
 * such a key is actually met.
 */
final class TraditionalPrivateKeys {
    private TraditionalPrivateKeys() {}

    static Optional<PrivateKey> parse(String type, byte[] content) {
        try {
            PrivateKeyInfo info = switch (type) {
                case "RSA PRIVATE KEY" ->
                    new PrivateKeyInfo(
                            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                            RSAPrivateKey.getInstance(ASN1Sequence.getInstance(content)));
                case "EC PRIVATE KEY" -> {
                    ECPrivateKey key = ECPrivateKey.getInstance(ASN1Sequence.getInstance(content));
                    // The JDK wants the curve in the algorithm identifier, SEC1 has it inside the key.
                    yield new PrivateKeyInfo(
                            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, key.getParametersObject()),
                            key);
                }
                default -> throw new IllegalArgumentException("not a traditional private key: " + type);
            };
            return Optional.of(new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (Exception e) {
            // Malformed DER shows up as unchecked decoding errors as well as checked ones.
            return Optional.empty();
        }
    }
}
