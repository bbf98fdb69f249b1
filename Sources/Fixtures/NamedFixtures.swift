/// Records with stable ids, slugs and credentials that tests and frontend developers can rely on (README table).
/// `sptfy_alice` and `sptfy_bob` are also the Spotify stub's fixture accounts: logging in with them reaches these users.
public enum NamedFixtures {
    public struct User: Sendable {
        public let id, username, email, password, name, spotifyID: String
        public let onboarded: Bool
    }

    public struct Link: Sendable {
        public let id, slug, subdomain, from: String
        public let owner: String?
        /// Clicks generated for it (and its `utm_view`).
        public let clicks: Int
    }

    /// Onboarded, two links, Spotify login `sptfy_alice`.
    public static let alice = User(
        id: "fxalice00000001", username: "sptfy_alice", email: "alice@sptfy.local", password: "alice-password", name: "Alice Listener",
        spotifyID: "sptfy_alice", onboarded: true)
    /// Not onboarded, first login (`created` == `updated`), Spotify login `sptfy_bob`.
    public static let bob = User(
        id: "fxbob0000000001", username: "sptfy_bob", email: "bob@sptfy.local", password: "bob-password", name: "Bob Beats",
        spotifyID: "sptfy_bob", onboarded: false)
    /// Onboarded, with an avatar file.
    public static let carol = User(
        id: "fxcarol00000001", username: "carol_covers", email: "carol@sptfy.local", password: "carol-password", name: "Carol Covers",
        spotifyID: "carol_covers", onboarded: true)

    public static let users = [alice, bob, carol]

    public static let aliceTrack = Link(
        id: "fxlinkalice0001", slug: "alice-track", subdomain: "track", from: "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
        owner: alice.id, clicks: 240)
    public static let aliceMix = Link(
        id: "fxlinkalice0002", slug: "alice-mix", subdomain: "playlist", from: "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
        owner: alice.id, clicks: 12)
    public static let bobAlbum = Link(
        id: "fxlinkbob000001", slug: "bob-album", subdomain: "album", from: "https://open.spotify.com/album/1DFixLWuPkv3KT3TnV35m3",
        owner: bob.id, clicks: 0)
    public static let guestLink = Link(
        id: "fxlinkguest0001", slug: "guest-link", subdomain: "sptfy.in", from: "https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg",
        owner: nil, clicks: 7)

    public static let links = [aliceTrack, aliceMix, bobAlbum, guestLink]

    /// The avatar file name stored for carol (a 1×1 PNG).
    public static let carolAvatar = "carol_avatar.png"
    public static let avatarPNG: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF,
        0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
        0x82,
    ]
}
