/// The byte scanner behind `MessageNormalizer`.
///
/// A message is read in three levels, each linear in what it reads:
/// 1. segments, separated by whitespace, brackets, quotes, `,;` and `=&?|!` — at each segment start a URL
///    or a date (which may contain spaces) is tried, then the whole segment is classified;
/// 2. a segment that is no value as a whole is split at `/ : # @ \` and each part classified;
/// 3. a part that is no value either is read word by word, replacing only numbers that stand alone.
/// Every matcher looks at a bounded window or consumes what it matched, so no byte is read more than a
/// constant number of times.
struct MessageScanner {
    let input: [UInt8]
    private(set) var output: [UInt8] = []
    /// Bytes read, counted so tests can bound the work without timing it.
    private(set) var steps = 0

    // Next unescaped `'`, `"` and backtick after the last position asked (scanning only moves forward).
    private var nextQuote: [Int] = [0, 0, 0]

    init(input: [UInt8]) {
        self.input = input
        output.reserveCapacity(input.count)
    }

    private var count: Int { input.count }

    private mutating func at(_ i: Int) -> UInt8 {
        steps &+= 1
        return input[i]
    }

    mutating func run() {
        var i = 0
        while i < count {
            let b = at(i)
            if b == .apostrophe || b == .doubleQuote || b == .backtick {
                if let end = quotedEnd(at: i) {
                    output.append(contentsOf: Placeholder.quoted)
                    i = end
                } else {
                    output.append(b)
                    i += 1
                }
                continue
            }
            if isSegmentBoundary(b) {
                output.append(b)
                i += 1
                continue
            }
            if let end = urlEnd(at: i) {
                output.append(contentsOf: Placeholder.url)
                i = end
                continue
            }
            if let end = dateEnd(at: i, limit: count), end == count || !isWord(input[end]) {
                output.append(contentsOf: Placeholder.date)
                i = end
                continue
            }
            var end = i
            while end < count && !isSegmentBoundary(at(end)) { end += 1 }
            var core = end
            while core > i && isTrailingPunctuation(input[core - 1]) { core -= 1 }
            if core > i {
                if let placeholder = classify(i, core, wholeSegment: true) {
                    output.append(contentsOf: placeholder)
                } else {
                    splitAtPathSeparators(i, core)
                }
            }
            output.append(contentsOf: input[core..<end])
            i = end
        }
    }

    // MARK: - Levels 2 and 3

    private mutating func splitAtPathSeparators(_ start: Int, _ end: Int) {
        var part = start
        var i = start
        while i <= end {
            if i == end || isPathSeparator(at(i)) {
                if part < i {
                    if let placeholder = classify(part, i, wholeSegment: false) {
                        output.append(contentsOf: placeholder)
                    } else {
                        replaceStandaloneNumbers(part, i)
                    }
                }
                if i < end { output.append(input[i]) }
                part = i + 1
            }
            i += 1
        }
    }

    private mutating func replaceStandaloneNumbers(_ start: Int, _ end: Int) {
        var i = start
        while i < end {
            let b = at(i)
            if !isWord(b) {
                output.append(b)
                i += 1
                continue
            }
            // A word starts here and the byte before it (if any) is not a word byte.
            if i + 36 <= end, isUUID(i, i + 36), i + 36 == end || !isWord(input[i + 36]) {
                output.append(contentsOf: Placeholder.uuid)
                i += 36
                continue
            }
            if isDigit(b), let match = number(i, limit: end), match.end == end || !isWord(input[match.end]) {
                output.append(contentsOf: match.placeholder)
                i = match.end
                continue
            }
            var wordEnd = i
            while wordEnd < end && isWord(at(wordEnd)) { wordEnd += 1 }
            if isHex(i, wordEnd) {
                output.append(contentsOf: Placeholder.hex)
            } else if isHash(i, wordEnd) {
                output.append(contentsOf: Placeholder.hash)
            } else {
                output.append(contentsOf: input[i..<wordEnd])
            }
            i = wordEnd
        }
    }

    // MARK: - Whole-range classification

    /// The placeholder for `input[start..<end]` when the whole range is one value, else nil.
    private mutating func classify(_ start: Int, _ end: Int, wholeSegment: Bool) -> [UInt8]? {
        var hasDigit = false, hasDot = false, hasAt = false, hasColon = false
        for i in start..<end {
            switch at(i) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): hasDigit = true
            case UInt8(ascii: "."): hasDot = true
            case UInt8(ascii: "@"): hasAt = true
            case UInt8(ascii: ":"): hasColon = true
            default: break
            }
        }
        let length = end - start
        if wholeSegment && hasAt && hasDot && isEmail(start, end) { return Placeholder.email }
        if wholeSegment && hasColon && hasDigit && isIPv6(start, end) { return Placeholder.ip }
        if hasDot && hasDigit && isIPv4(start, end) { return Placeholder.ip }
        if length == 36 && isUUID(start, end) { return Placeholder.uuid }
        if (length == 32 || length == 40 || length == 64) && isHash(start, end) { return Placeholder.hash }
        if length > 2 && isHex(start, end) { return Placeholder.hex }
        if hasDigit, dateEnd(at: start, limit: end) == end { return Placeholder.date }
        if hasDigit && isDigit(input[start]), let match = number(start, limit: end), match.end == end {
            return match.placeholder
        }
        // Like Sentry's `-\d+\b`, a signed number is one value: `quantity: -1` groups with `quantity: 0`.
        if wholeSegment && hasDigit && length > 1 && input[start] == .minus && isDigit(input[start + 1]),
            let match = number(start + 1, limit: end), match.end == end
        {
            return match.placeholder
        }
        if hasDot && isHostname(start, end) { return Placeholder.hostname }
        return nil
    }

    /// Reads `digits[.digits][e±digits][unit]…` from `start`; the end and its placeholder.
    private mutating func number(_ start: Int, limit: Int) -> (end: Int, placeholder: [UInt8])? {
        var i = start
        var isFloat = false
        var isDuration = false
        while true {
            let digitsStart = i
            while i < limit && isDigit(at(i)) { i += 1 }
            guard i > digitsStart else { return nil }
            if i + 1 < limit && input[i] == .dot && isDigit(input[i + 1]) {
                i += 1
                while i < limit && isDigit(at(i)) { i += 1 }
                isFloat = true
            }
            if i + 1 < limit && (input[i] | 0x20) == UInt8(ascii: "e") {
                var j = i + 1
                if j < limit && (input[j] == .plus || input[j] == .minus) { j += 1 }
                if j < limit && isDigit(input[j]) {
                    while j < limit && isDigit(at(j)) { j += 1 }
                    i = j
                    isFloat = true
                }
            }
            guard let unitEnd = durationUnitEnd(i, limit: limit) else { break }
            isDuration = true
            i = unitEnd
            // Go prints compound durations such as `1h2m3.5s`.
            guard i < limit && isDigit(input[i]) else { break }
        }
        if isDuration { return (i, Placeholder.duration) }
        return (i, isFloat ? Placeholder.float : Placeholder.int)
    }

    private mutating func durationUnitEnd(_ start: Int, limit: Int) -> Int? {
        var end = start
        while end < limit && end - start < 8 && (isLetter(at(end)) || input[end] == 0xC2 || input[end] == 0xB5) { end += 1 }
        guard end > start else { return nil }
        // A longer unit only when followed by a non-letter; `2x` or `10px` is no duration.
        guard Self.durationUnits.contains(Array(input[start..<end])) else { return nil }
        return end
    }

    private static let durationUnits: Set<[UInt8]> = Set([
        "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes",
        "h", "hr", "hrs", "hour", "hours", "d", "day", "days",
    ].map { Array($0.utf8) })

    private mutating func isEmail(_ start: Int, _ end: Int) -> Bool {
        var sign = start
        while sign < end && input[sign] != .at { sign += 1 }
        guard sign > start, sign < end else { return false }
        for i in start..<sign {
            let b = at(i)
            guard isAlphanumeric(b) || b == .dot || b == .underscore || b == .percent || b == .plus || b == .minus else { return false }
        }
        return isDomain(sign + 1, end, requireKnownTLD: false)
    }

    private mutating func isHostname(_ start: Int, _ end: Int) -> Bool {
        isDomain(start, end, requireKnownTLD: true)
    }

    /// Labels of `[A-Za-z0-9-]` joined by dots, at least two, the last alphabetic (and a known TLD if asked).
    private mutating func isDomain(_ start: Int, _ end: Int, requireKnownTLD: Bool) -> Bool {
        var labels = 0
        var labelStart = start
        var i = start
        while i <= end {
            if i == end || input[i] == .dot {
                let length = i - labelStart
                guard length >= 1, length <= 63, input[labelStart] != .minus, input[i - 1] != .minus else { return false }
                labels += 1
                labelStart = i + 1
            } else {
                let b = at(i)
                guard isAlphanumeric(b) || b == .minus else { return false }
            }
            i += 1
        }
        guard labels >= 2 else { return false }
        var tldStart = end
        while tldStart > start && input[tldStart - 1] != .dot { tldStart -= 1 }
        guard end - tldStart >= 2 else { return false }
        for i in tldStart..<end where !isLetter(input[i]) { return false }
        guard requireKnownTLD else { return true }
        return Self.topLevelDomains.contains(input[tldStart..<end].map { $0 | 0x20 })
    }

    /// Sentry's list: the ~100 most common TLDs (the full list is thousands long), plus cluster-local names.
    private static let topLevelDomains: Set<[UInt8]> = Set("""
        com net org jp de uk fr br it ru es me gov pl ca au cn co in nl edu info eu ch id at kr cz mx be tv se tr tw \
        al ua ir vn cl sk ly cc to no fi us pt dk ar hu tk gr il news ro my biz ie za nz sg ee th io xyz pe bg hk \
        lt link ph club si site mobi by cat wiki la ga xxx cf hr ng jobs online kz ug gq ae is lv pro fm tips ms \
        sa app dev cloud local internal localdomain
        """.split(separator: " ").map { Array($0.utf8) })

    private mutating func isIPv4(_ start: Int, _ end: Int) -> Bool {
        var groups = 0
        var value = 0
        var digits = 0
        for i in start...end {
            if i == end || input[i] == .dot {
                guard digits >= 1, digits <= 3, value <= 255 else { return false }
                groups += 1
                value = 0
                digits = 0
            } else {
                let b = at(i)
                guard isDigit(b) else { return false }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
                digits += 1
            }
        }
        return groups == 4
    }

    private mutating func isIPv6(_ start: Int, _ end: Int) -> Bool {
        var groups = 0
        var compressed = false
        var i = start
        if end - start >= 2 && input[start] == .colon && input[start + 1] == .colon {
            compressed = true
            i = start + 2
            if i == end { return true }
        } else if input[start] == .colon {
            return false
        }
        while i < end {
            var groupEnd = i
            while groupEnd < end && groupEnd - i <= 4 && isHexDigit(at(groupEnd)) { groupEnd += 1 }
            if groupEnd < end && input[groupEnd] == .dot {
                // An embedded IPv4 address ends the address and counts as two groups.
                guard isIPv4(i, end) else { return false }
                groups += 2
                break
            }
            let length = groupEnd - i
            guard length >= 1, length <= 4 else { return false }
            groups += 1
            if groupEnd == end { break }
            guard input[groupEnd] == .colon else { return false }
            i = groupEnd + 1
            if i < end && input[i] == .colon {
                guard !compressed else { return false }
                compressed = true
                i += 1
                if i == end { break }
            } else if i == end {
                return false
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    private mutating func isUUID(_ start: Int, _ end: Int) -> Bool {
        guard end - start == 36, end <= count else { return false }
        for offset in 0..<36 {
            let b = at(start + offset)
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard b == .minus else { return false }
            } else {
                guard isHexDigit(b) else { return false }
            }
        }
        return true
    }

    private mutating func isHash(_ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length == 32 || length == 40 || length == 64 else { return false }
        for i in start..<end where !isHexDigit(at(i)) { return false }
        return true
    }

    private mutating func isHex(_ start: Int, _ end: Int) -> Bool {
        guard end - start > 2, input[start] == UInt8(ascii: "0"), input[start + 1] | 0x20 == UInt8(ascii: "x") else { return false }
        for i in (start + 2)..<end where !isHexDigit(at(i)) { return false }
        return true
    }

    // MARK: - URLs and quoted literals

    private mutating func urlEnd(at start: Int) -> Int? {
        guard isLetter(input[start]) else { return nil }
        var i = start + 1
        while i < count && i - start < 32 {
            let b = at(i)
            guard isAlphanumeric(b) || b == .plus || b == .dot || b == .minus else { break }
            i += 1
        }
        guard i + 3 < count, input[i] == .colon, input[i + 1] == .slash, input[i + 2] == .slash else { return nil }
        i += 3
        while i < count {
            let b = at(i)
            if isSpace(b) || b == .doubleQuote || b == .apostrophe || b == .backtick || b == .less || b == .greater { break }
            i += 1
        }
        while i > start && isURLTrailing(input[i - 1]) { i -= 1 }
        return input[i - 1] == .slash && input[i - 2] == .slash && input[i - 3] == .colon ? nil : i
    }

    private mutating func quotedEnd(at start: Int) -> Int? {
        guard start == 0 || !isWord(input[start - 1]) else { return nil }
        let opener = input[start]
        var close: Int?
        switch opener {
        case .apostrophe: close = nextUnescaped(0, .apostrophe, after: start)
        case .doubleQuote: close = nextUnescaped(1, .doubleQuote, after: start)
        default:
            // Backtick-quoted, or Ruby's older `method' style.
            let backtick = nextUnescaped(2, .backtick, after: start)
            let apostrophe = nextUnescaped(0, .apostrophe, after: start)
            close = [backtick, apostrophe].compactMap { $0 }.min()
        }
        guard let close, close > start + 1 else { return nil }
        guard close + 1 == count || !isWord(input[close + 1]) else { return nil }
        return close + 1
    }

    private mutating func nextUnescaped(_ slot: Int, _ quote: UInt8, after start: Int) -> Int? {
        if nextQuote[slot] <= start {
            var i = start + 1
            while i < count && !(at(i) == quote && input[i - 1] != .backslash) { i += 1 }
            nextQuote[slot] = i
        }
        return nextQuote[slot] < count ? nextQuote[slot] : nil
    }

    // MARK: - Dates and times

    /// End of a date, time or timestamp starting at `start` (ISO 8601, RFC 2822, ctime, syslog, common log
    /// format, `DD/MM/YYYY`), reading no further than `limit` and never more than ~40 bytes.
    private mutating func dateEnd(at start: Int, limit: Int) -> Int? {
        let first = input[start]
        if isDigit(first) { return numericDateEnd(start, limit: limit) }
        if first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") { return namedDateEnd(start, limit: limit) }
        return nil
    }

    private mutating func numericDateEnd(_ start: Int, limit: Int) -> Int? {
        var p = start
        // 2026-11-24, 2026/11/24, optionally with a time: 2026-11-24T10:00:00.123+01:00, 2026-11-24 10:00:00,123
        if digits(&p, 4, 4, limit), p < limit, input[p] == .minus || input[p] == .slash {
            let separator = input[p]
            p += 1
            if digits(&p, 1, 2, limit), literal(&p, separator, limit), digits(&p, 1, 2, limit) {
                var t = p
                if t < limit && (input[t] == UInt8(ascii: "T") || input[t] == .space) {
                    t += 1
                    if let end = timeEnd(t, limit: limit, requireSeconds: false) { return end }
                }
                return p
            }
            return nil
        }
        // 24/11/2026, 11/24/2026, 24.11.2026, 24-11-2026 (optionally with a time)
        p = start
        if digits(&p, 1, 2, limit), p < limit, input[p] == .slash || input[p] == .dot || input[p] == .minus {
            let separator = input[p]
            p += 1
            var q = p
            if digits(&q, 1, 2, limit), literal(&q, separator, limit), digits(&q, 4, 4, limit) {
                var t = q
                if literal(&t, .space, limit), let end = timeEnd(t, limit: limit, requireSeconds: false) { return end }
                return q
            }
            // 24/Nov/2026:10:00:00 +0000 (common log format), 24-Nov-2026
            q = p
            if monthName(&q, limit), literal(&q, separator, limit), digits(&q, 4, 4, limit) {
                var t = q
                if literal(&t, .colon, limit), let end = timeEnd(t, limit: limit, requireSeconds: true) { return end }
                return q
            }
        }
        // 24 Nov 2026 10:00:00 +0000 (RFC 2822 without the weekday)
        p = start
        if digits(&p, 1, 2, limit), literal(&p, .space, limit), monthName(&p, limit), literal(&p, .space, limit),
           digits(&p, 4, 4, limit) {
            var t = p
            if literal(&t, .space, limit), let end = timeEnd(t, limit: limit, requireSeconds: false) { return end }
            return p
        }
        return timeEnd(start, limit: limit, requireSeconds: true)
    }

    private mutating func namedDateEnd(_ start: Int, limit: Int) -> Int? {
        var p = start
        var hasWeekday = false
        if weekdayName(&p, limit) {
            hasWeekday = true
            _ = literal(&p, .comma, limit)
            guard literal(&p, .space, limit) else { return nil }
            // Tue, 24 Nov 2026 10:00:00 +0000
            var q = p
            if digits(&q, 1, 2, limit), literal(&q, .space, limit), monthName(&q, limit), literal(&q, .space, limit),
               digits(&q, 4, 4, limit) {
                var t = q
                if literal(&t, .space, limit), let end = timeEnd(t, limit: limit, requireSeconds: false) { return end }
                return q
            }
        }
        // Nov 24, 2026 · Nov 24 10:00:00 (syslog) · Tue Nov  4 10:00:00 [UTC] 2026 (ctime)
        guard monthName(&p, limit), literal(&p, .space, limit) else { return nil }
        _ = literal(&p, .space, limit)
        guard digits(&p, 1, 2, limit) else { return nil }
        var end = p
        var complete = hasWeekday
        var q = p
        if literal(&q, .comma, limit), literal(&q, .space, limit), digits(&q, 4, 4, limit) {
            return q
        }
        q = p
        if literal(&q, .space, limit), let timeEnd = timeEnd(q, limit: limit, requireSeconds: true) {
            end = timeEnd
            complete = true
            var y = timeEnd
            if literal(&y, .space, limit), digits(&y, 4, 4, limit) { end = y }
        } else {
            q = p
            if literal(&q, .space, limit), digits(&q, 4, 4, limit) {
                end = q
                complete = true
            }
        }
        return complete ? end : nil
    }

    /// `H:MM[:SS[.fff]]` with an optional zone (`Z`, `+01:00`, `+0100`, ` UTC`, ` GMT`, ` +0000`, ` AM`).
    private mutating func timeEnd(_ start: Int, limit: Int, requireSeconds: Bool) -> Int? {
        var p = start
        guard digits(&p, 1, 2, limit), literal(&p, .colon, limit), digits(&p, 2, 2, limit) else { return nil }
        var q = p
        if literal(&q, .colon, limit), digits(&q, 2, 2, limit) {
            p = q
            var f = p
            if (literal(&f, .dot, limit) || literal(&f, .comma, limit)), digits(&f, 1, 9, limit) { p = f }
        } else if requireSeconds {
            return nil
        }
        var z = p
        if literal(&z, UInt8(ascii: "Z"), limit) { return z }
        z = p
        if literal(&z, .plus, limit) || literal(&z, .minus, limit) {
            if digits(&z, 2, 2, limit) {
                var m = z
                _ = literal(&m, .colon, limit)
                if digits(&m, 2, 2, limit) { return m }
                return z
            }
        }
        z = p
        if literal(&z, .space, limit) {
            let zoneStart = z
            if literal(&z, .plus, limit) || literal(&z, .minus, limit) {
                if digits(&z, 4, 4, limit) { return z }
            } else {
                z = zoneStart
                for word in Self.zoneWords where matches(&z, word, limit) {
                    return z
                }
            }
        }
        return p
    }

    private static let zoneWords: [[UInt8]] = ["UTC", "GMT", "AM", "PM"].map { Array($0.utf8) }
    private static let months: [[UInt8]] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ].map { Array($0.utf8) }
    private static let weekdays: [[UInt8]] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        .map { Array($0.utf8) }

    private mutating func monthName(_ p: inout Int, _ limit: Int) -> Bool {
        namePrefix(&p, Self.months, limit)
    }

    private mutating func weekdayName(_ p: inout Int, _ limit: Int) -> Bool {
        namePrefix(&p, Self.weekdays, limit)
    }

    /// Matches one of `names` by its three-letter abbreviation or in full, not followed by another letter.
    private mutating func namePrefix(_ p: inout Int, _ names: [[UInt8]], _ limit: Int) -> Bool {
        guard p + 3 <= limit else { return false }
        for name in names where at(p) == name[0] && input[p + 1] == name[1] && input[p + 2] == name[2] {
            var end = p + 3
            var k = 3
            while k < name.count && end < limit && input[end] == name[k] {
                end += 1
                k += 1
            }
            if k < name.count { end = p + 3 }
            guard end == limit || !isLetter(input[end]) else { return false }
            p = end
            return true
        }
        return false
    }

    private mutating func matches(_ p: inout Int, _ word: [UInt8], _ limit: Int) -> Bool {
        guard p + word.count <= limit else { return false }
        for k in 0..<word.count where at(p + k) != word[k] { return false }
        guard p + word.count == limit || !isLetter(input[p + word.count]) else { return false }
        p += word.count
        return true
    }

    private mutating func digits(_ p: inout Int, _ minimum: Int, _ maximum: Int, _ limit: Int) -> Bool {
        var end = p
        while end < limit && end - p < maximum && isDigit(at(end)) { end += 1 }
        guard end - p >= minimum, end == limit || !isDigit(input[end]) else { return false }
        p = end
        return true
    }

    private mutating func literal(_ p: inout Int, _ byte: UInt8, _ limit: Int) -> Bool {
        guard p < limit, at(p) == byte else { return false }
        p += 1
        return true
    }

    // MARK: - Byte classes

    private func isSegmentBoundary(_ b: UInt8) -> Bool {
        switch b {
        case .space, .tab, .newline, .carriageReturn, 0x0B, 0x0C,
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
             UInt8(ascii: "}"), .less, .greater, .comma, UInt8(ascii: ";"), .doubleQuote, .apostrophe, .backtick,
             UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "?"), UInt8(ascii: "|"), UInt8(ascii: "!"):
            return true
        default:
            return false
        }
    }

    private func isPathSeparator(_ b: UInt8) -> Bool {
        b == .slash || b == .colon || b == UInt8(ascii: "#") || b == .at || b == .backslash
    }

    private func isTrailingPunctuation(_ b: UInt8) -> Bool {
        b == .dot || b == .colon
    }

    private func isURLTrailing(_ b: UInt8) -> Bool {
        switch b {
        case .dot, .comma, .colon, UInt8(ascii: ";"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ")"),
             UInt8(ascii: "]"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }
}

// MARK: - Byte helpers

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
@inline(__always) private func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
@inline(__always) private func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
/// Letters, digits, `_` and any non-ASCII byte: what Sentry's `\b` treats as inside a word.
@inline(__always) private func isWord(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == .underscore || b >= 0x80 }
@inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == .space || b == .tab || b == .newline || b == .carriageReturn }

private extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let apostrophe = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backtick = UInt8(ascii: "`")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let at = UInt8(ascii: "@")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let percent = UInt8(ascii: "%")
    static let underscore = UInt8(ascii: "_")
    static let less = UInt8(ascii: "<")
    static let greater = UInt8(ascii: ">")
}

private enum Placeholder {
    static let email = Array("<email>".utf8)
    static let url = Array("<url>".utf8)
    static let hostname = Array("<hostname>".utf8)
    static let ip = Array("<ip>".utf8)
    static let uuid = Array("<uuid>".utf8)
    static let hash = Array("<hash>".utf8)
    static let date = Array("<date>".utf8)
    static let duration = Array("<duration>".utf8)
    static let hex = Array("<hex>".utf8)
    static let float = Array("<float>".utf8)
    static let int = Array("<int>".utf8)
    static let quoted = Array("<quoted>".utf8)
}
