package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.CLOCK;
import static dev.petlet.sandbox.pki.PkiTestValues.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the generated files with openssl, the independent reader closest to what Go accepts. */
class PkiOpensslIT {
    @TempDir
    Path dir;

    private ClusterPki pki;

    @BeforeAll
    static void requireOpenssl() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        assumeTrue(
                Stream.of(path.split(":")).anyMatch(directory -> Files.isExecutable(Path.of(directory, "openssl"))),
                "openssl is not on the PATH");
    }

    @BeforeEach
    void createPki() throws IOException {
        pki = ClusterPki.ensure(dir, spec("sandbox.example"), CLOCK);
    }

    @Test
    void opensslVerifiesEveryChainForItsPurpose() throws Exception {
        assertThat(verify("sslserver", pki.caCertificate(), pki.apiserverCertificate()))
                .contains(": OK");
        for (Path client : List.of(
                pki.adminCertificate(),
                pki.controllerManagerCertificate(),
                pki.schedulerCertificate(),
                pki.apiserverKubeletClientCertificate())) {
            assertThat(verify("sslclient", pki.caCertificate(), client)).contains(": OK");
        }
        assertThat(verify("sslclient", pki.frontProxyCaCertificate(), pki.frontProxyClientCertificate()))
                .contains(": OK");
    }

    @Test
    void opensslReadsTheApiserverNamesAndTheKeys() throws Exception {
        String text = openssl(
                "x509", "-noout", "-text", "-in", pki.apiserverCertificate().toString());

        assertThat(text)
                .contains("DNS:kubernetes", "DNS:kubernetes.default.svc.cluster.local", "DNS:sandbox.example")
                .contains("IP Address:127.0.0.1", "IP Address:10.96.0.1", "IP Address:0:0:0:0:0:0:0:1")
                .contains("TLS Web Server Authentication")
                .contains("CA:FALSE");
        assertThat(openssl("pkey", "-in", pki.apiserverKey().toString(), "-noout", "-text"))
                .contains("prime256v1");
        assertThat(openssl("rsa", "-in", pki.serviceAccountKey().toString(), "-noout", "-check"))
                .contains("RSA key ok");
    }

    @Test
    void discoveryHashMatchesKubeadmsOpensslRecipe() throws Exception {
        Path publicKey = dir.resolve("ca-public.pem");
        Path publicKeyDer = dir.resolve("ca-public.der");
        openssl("x509", "-pubkey", "-noout", "-in", pki.caCertificate().toString(), "-out", publicKey.toString());
        openssl("pkey", "-pubin", "-in", publicKey.toString(), "-outform", "der", "-out", publicKeyDer.toString());
        String digest =
                openssl("dgst", "-sha256", "-r", publicKeyDer.toString()).split(" ")[0];

        assertThat(DiscoveryHash.caCertificateHash(Pem.readCertificate(pki.caCertificate())))
                .isEqualTo("sha256:" + digest);
    }

    private static String verify(String purpose, Path ca, Path certificate) throws Exception {
        // -attime: the certificates are valid around the test's fixed clock, not around today.
        String atTime = String.valueOf(CLOCK.instant().getEpochSecond());
        return openssl(
                "verify", "-attime", atTime, "-purpose", purpose, "-CAfile", ca.toString(), certificate.toString());
    }

    private static String openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
        return output;
    }
}
