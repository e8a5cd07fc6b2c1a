import FaultlineCore
@testable import FaultlineEnrichment
import Testing

@Suite("RepositoryURL normalisation")
struct RepositoryURLTests {
    @Test(arguments: [
        "git@github.com:acme/shop.git",
        "git@github.com:acme/shop",
        "ssh://git@github.com/acme/shop.git",
        "ssh://git@github.com:22/acme/shop",
        "https://github.com/acme/shop",
        "https://github.com/acme/shop.git",
        "https://GitHub.COM/acme/shop/",
        "https://github.com/Acme/Shop",
        "git@github.com:ACME/shop.git",
        "https://deploy:ghp_secret123@github.com/acme/shop.git",
        "https://github.com:443/acme/shop",
        "  https://github.com/acme/shop.git\n",
        "github.com/acme/shop",
        "deploy:ghp_secret123@github.com/acme/shop.git",
    ])
    func spellingsShareOneKeyAndMirror(spelling: String) throws {
        // GitHub ignores the case of owner and repository names; the display keeps what the tracer sent.
        let url = try RepositoryURL(spelling)
        let reference = try RepositoryURL("https://github.com/acme/shop")
        #expect(url.key == "github.com/acme/shop")
        #expect(url.mirrorDirectoryName == reference.mirrorDirectoryName)
        #expect(url.webURL?.lowercased() == "https://github.com/acme/shop")
        #expect(!url.displayURL.contains("secret"))
        #expect(!url.cloneURL.contains("secret"))
        #expect(!url.description.contains("deploy"))
    }

    @Test func credentialsAreDroppedButSSHUserKept() throws {
        let https = try RepositoryURL("https://user:token@gitlab.com/group/sub/proj.git")
        #expect(https.displayURL == "https://gitlab.com/group/sub/proj.git")
        #expect(https.key == "gitlab.com/group/sub/proj")
        let ssh = try RepositoryURL("ssh://deploy@git.example.com:2222/team/app.git")
        #expect(ssh.cloneURL == "ssh://deploy@git.example.com:2222/team/app.git")
        #expect(ssh.key == "git.example.com/team/app")
        #expect(ssh.forge == nil)
        #expect(ssh.webURL == nil)
    }

    @Test func azureDevOpsSSHAndHTTPSShareAKey() throws {
        let https = try RepositoryURL("https://acme@dev.azure.com/acme/Shop/_git/web")
        let ssh = try RepositoryURL("git@ssh.dev.azure.com:v3/acme/Shop/web")
        #expect(https.key == "dev.azure.com/acme/shop/_git/web")
        #expect(ssh.key == https.key)
        #expect(ssh.forge == .azureDevOps)
        #expect(ssh.webURL == "https://dev.azure.com/acme/Shop/_git/web")
    }

    @Test func localPathsAndFileURLsShareAKey() throws {
        let path = try RepositoryURL("/srv/git/shop.git")
        let file = try RepositoryURL("file:///srv/git/./shop.git")
        let localhost = try RepositoryURL("file://localhost/srv/git/shop.git")
        #expect(path.isLocal)
        #expect(path.key == "file:///srv/git/shop.git")
        #expect(file.key == path.key)
        #expect(localhost.key == path.key)
        #expect(path.cloneURL == "/srv/git/shop.git")
        #expect(path.mirrorDirectoryName.hasPrefix("local_srv_git_shop.git-"))
    }

    @Test func differentPortsAndHostsDoNotCollide() throws {
        let a = try RepositoryURL("git://127.0.0.1:9500/shop.git")
        let b = try RepositoryURL("git://127.0.0.1:9501/shop.git")
        #expect(a.key != b.key)
        #expect(a.mirrorDirectoryName != b.mirrorDirectoryName)
        #expect(try RepositoryURL("https://gitlab.com/acme/shop").mirrorDirectoryName != RepositoryURL("https://github.com/acme/shop").mirrorDirectoryName)
    }

    @Test(arguments: [
        "", "ftp://github.com/acme/shop", "relative/path", "https://github.com/", "https://github.com/acme/../etc",
        "/srv/git/../../etc/passwd", "https://github.com:notaport/acme/shop", "https://tok:ghp_leak@/acme",
    ])
    func invalidURLsAreRejectedWithoutEchoingThem(input: String) {
        do {
            _ = try RepositoryURL(input)
            Issue.record("accepted \(input)")
        } catch {
            #expect(!error.description.contains("ghp_leak"))
            #expect(error.description.hasPrefix("invalid repository URL: "))
        }
    }
}

@Suite("RepositoryAllowList")
struct RepositoryAllowListTests {
    @Test(arguments: [
        ("https://github.com/acme/shop", true),
        ("https://gitlab.com/group/sub/proj.git", true),
        ("https://bitbucket.org/acme/shop", true),
        ("https://dev.azure.com/acme/Shop/_git/web", true),
        ("https://token@github.com/acme/shop", true),
        ("http://github.com/acme/shop", false),
        ("git@github.com:acme/shop.git", false),
        ("https://github.com.evil.example/acme/shop", false),
        ("https://evil.example/github.com/acme/shop", false),
        ("https://git.internal.example/acme/shop", false),
        ("/srv/git/shop.git", false),
        ("file:///srv/git/shop.git", false),
    ])
    func defaultAllowsHTTPSOnTheBigForgesOnly(url: String, allowed: Bool) throws {
        #expect(RepositoryAllowList.default.allows(try RepositoryURL(url)) == allowed)
    }

    @Test func localRepositoriesNeedAFilePattern() throws {
        let everything = RepositoryAllowList(patterns: ["*"])
        #expect(everything.allows(try RepositoryURL("https://git.internal.example/x")))
        #expect(!everything.allows(try RepositoryURL("/srv/git/shop.git")))

        let local = RepositoryAllowList(patterns: ["file:///srv/git/*", "ssh://GitHub.com/acme/*"])
        #expect(local.allows(try RepositoryURL("/srv/git/shop.git")))
        #expect(local.allows(try RepositoryURL("file:///srv/git/team/shop")))
        #expect(!local.allows(try RepositoryURL("/srv/other/shop.git")))
        #expect(!local.allows(try RepositoryURL("/srv/gitx/shop.git")))
        #expect(local.allows(try RepositoryURL("git@github.com:acme/shop.git")))
        #expect(!local.allows(try RepositoryURL("git@github.com:other/shop.git")))
        #expect(RepositoryAllowList(patterns: ["/srv/git/*"]).allows(try RepositoryURL("file:///srv/git/a.git")))
    }

    @Test(arguments: [("a*c", "abbbc", true), ("a*c", "abbbd", false), ("a?c", "abc", true), ("*", "", true), ("a**", "a", true), ("*b*", "aaa", false)])
    func globMatching(pattern: String, text: String, expected: Bool) {
        #expect(Glob.matches(pattern: pattern, text: text) == expected)
    }

    @Test func caseMattersOnHostsThatMayCareAboutIt() throws {
        #expect(try RepositoryURL("https://git.example.com/Team/App").key == "git.example.com/Team/App")
        #expect(try RepositoryURL("https://gitlab.com/Group/Proj").key == "gitlab.com/group/proj")
        #expect(try RepositoryURL("https://bitbucket.org/Team/Repo").key == "bitbucket.org/team/repo")
        #expect(try RepositoryURL("https://github.com/Acme/Shop").displayURL == "https://github.com/Acme/Shop")
    }
}

@Suite("repo-url-rewrite")
struct RepositoryURLRewriteTests {
    let rewrites = RepositoryURLRewrites([
        try! RepositoryURLRewrite("https://github.com/acme/=file:///srv/git/acme/"),
        try! RepositoryURLRewrite("https://github.com/acme/legacy-=https://git.acme.internal/archive/legacy-"),
        try! RepositoryURLRewrite("git@github.com:acme/=https://mirror.acme.internal/acme/"),
    ])

    @Test(arguments: [
        ("https://github.com/acme/shop.git", "file:///srv/git/acme/shop.git"),
        ("https://github.com/Acme/shop", "file:///srv/git/acme/shop"),
        ("https://token@github.com/acme/shop", "file:///srv/git/acme/shop"),
        ("github.com/acme/shop", "file:///srv/git/acme/shop"),
        ("https://github.com/acme/legacy-billing", "https://git.acme.internal/archive/legacy-billing"),
        ("git@github.com:acme/shop.git", "https://mirror.acme.internal/acme/shop.git"),
        ("https://github.com/other/shop", "https://github.com/other/shop"),
        ("https://gitlab.com/acme/shop", "https://gitlab.com/acme/shop"),
    ])
    func longestPrefixWins(tagged: String, fetched: String) throws {
        let url = try RepositoryURL(tagged)
        let effective = try rewrites.effective(url)
        #expect(effective.displayURL == fetched)
        // That the mirror, the allow-list and the permalinks keep the tagged URL is checked end to end in
        // RewriteTests (the permalink on github.com, the mirror listed under the tagged URL).
    }

    @Test(arguments: ["no-equals-sign", "=file:///srv", "https://github.com/acme/=", "https://github.com/=ftp://x/"])
    func badSettingsAreRejected(setting: String) {
        #expect(throws: RepositoryURLError.self) { try RepositoryURLRewrite(setting) }
    }
}
