package dev.petlet.spi.runtime;

/**
 * Credentials for pulling one image, taken by the core from the pod's image pull secrets. Either a
 * username and password or an identity token is set.
 *
 * @param username nullable: the registry user
 * @param password nullable: the user's password
 * @param identityToken nullable: an OAuth identity token instead of user and password
 */
public record RegistryCredentials(String username, String password, String identityToken) {
    public RegistryCredentials {
        boolean basic = username != null && password != null;
        if (!basic && identityToken == null) {
            throw new IllegalArgumentException(
                    "registry credentials need a username and password or an identity token");
        }
    }

    /** Username and password credentials. */
    public static RegistryCredentials basic(String username, String password) {
        return new RegistryCredentials(username, password, null);
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", secrets hidden]";
    }
}
