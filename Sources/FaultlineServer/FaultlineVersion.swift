/// The version `faultline --version` prints and `GET /info` reports, in one place.
public enum FaultlineVersion {
    /// The release number, as the OpenAPI document states it.
    public static let number = "0.1.0"
    /// What `/info` answers in `version` and `faultline --version` prints.
    public static let string = "faultline-\(number)"
}
