/// What one call of a `/test` request got, as the 200 response lists it in JSON:
/// `{"url": …, "status": 200}`, or `{"url": …, "error": "…"}` when no response came.
struct CallbackOutcome: Encodable, Sendable {
    /// Where the call went.
    let url: String
    /// The response's status code.
    let status: Int?
    /// Why the call got no response.
    let error: String?
}
