import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU seconds used so far, for benchmarks on shared machines: time spent descheduled is not ours.
public enum CPUTime {
    /// User + system time of this process's threads.
    public static var process: Double {
        seconds(of: selfUsage)
    }

    /// User + system time of this process and of the children it has waited for (e.g. the git CLI).
    public static var processAndChildren: Double {
        seconds(of: selfUsage) + seconds(of: childrenUsage)
    }

    /// CPU time of the calling thread only.
    public static var thread: Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }

    /// Peak resident set size of this process, in megabytes.
    public static var peakRSSMegabytes: Int {
        var usage = rusage()
        getrusage(selfUsage, &usage)
        #if canImport(Darwin)
        return Int(usage.ru_maxrss) / 1_048_576
        #else
        return Int(usage.ru_maxrss) / 1024
        #endif
    }

    #if canImport(Glibc)
    private static let selfUsage = RUSAGE_SELF.rawValue
    private static let childrenUsage = RUSAGE_CHILDREN.rawValue
    #else
    private static let selfUsage = RUSAGE_SELF
    private static let childrenUsage = RUSAGE_CHILDREN
    #endif

    private static func seconds(of who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
