/// Cloudflare's documented Turnstile test keys and the dummy token every test sitekey produces.
public enum TurnstileTestKeys {
    public static let dummyToken = "XXXX.DUMMY.TOKEN.XXXX"

    /// Secrets (server side).
    public static let passSecret = "1x0000000000000000000000000000000AA"
    public static let failSecret = "2x0000000000000000000000000000000AA"
    public static let spentSecret = "3x0000000000000000000000000000000AA"

    /// Sitekeys (widget side).
    public static let passSitekey = "1x00000000000000000000AA"
    public static let failSitekey = "2x00000000000000000000AB"
    public static let passInvisibleSitekey = "1x00000000000000000000BB"
    public static let failInvisibleSitekey = "2x00000000000000000000BB"
    public static let interactiveSitekey = "3x00000000000000000000FF"

    public static let secrets: Set<String> = [passSecret, failSecret, spentSecret]
    public static let sitekeys: Set<String> = [passSitekey, failSitekey, passInvisibleSitekey, failInvisibleSitekey, interactiveSitekey]

    /// Sitekeys whose widget produces a token (the failing ones only call `error-callback`).
    public static let passingSitekeys: Set<String> = [passSitekey, passInvisibleSitekey, interactiveSitekey]

    /// Tokens are at most this long; longer ones are rejected before any lookup.
    public static let maxTokenLength = 2048
}
