// What the `http` node asks of the host (Host::http_get) and what it gets
// back. Plain data plus two callbacks; no HTTP library appears here.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

struct HttpRequest {
  // Absolute http(s) URL, already validated by the caller (http/url_guard).
  std::string url;
  // Extra request headers (name, value) the host adds, e.g. the
  // Idempotency-Key of a durable run's request.
  std::vector<std::pair<std::string, std::string>> headers;
  // Numeric addresses of the URL's host that passed validation. The client
  // connects only to these (no second DNS lookup between check and
  // connect). Empty when the host is an IP literal or validation could not
  // resolve it; the client then resolves it itself and every address it
  // connects to still goes through check_address.
  std::vector<std::string> pinned_addresses;
  // Whole exchange (redirects and body included), milliseconds; <= 0 = none.
  std::int64_t timeout_ms = 30000;
  // A redirect is refused once this many have been followed.
  std::int64_t max_redirects = 10;
  // Larger decoded bodies fail with HttpResponse::Outcome::TooLarge.
  std::int64_t max_body_size = 10 * 1024 * 1024;

  // Called for every redirect target (absolute URL, resolved against the
  // current one) before it is requested: returns "" and fills `pinned`
  // (as pinned_addresses above) when allowed, otherwise the reason, which
  // the client reports as the Go CheckRedirect error text.
  std::function<std::string(const std::string& url, std::vector<std::string>& pinned)>
      validate_redirect;
  // Called with each numeric address right before a connection is opened:
  // "" to allow, otherwise the reason. Must not throw.
  std::function<std::string(const std::string& address)> check_address;
  // Called at least every 50 ms while the exchange is in progress (never
  // from inside the HTTP library's C frames). It may throw (query cancel,
  // workflow deadline): the client releases its resources and lets the
  // exception propagate.
  std::function<void()> check_interrupts;
};

struct HttpResponse {
  enum class Outcome {
    Ok,             // status, content_type and body are set
    RequestFailed,  // error: the text after "HTTP request failed: "
    ReadFailed,     // error: the text after "failed to read response body: "
    TooLarge,       // the body exceeded max_body_size
  };
  Outcome outcome = Outcome::RequestFailed;
  std::string error;
  long status = 0;
  // First Content-Type header of the final response; "" when absent.
  std::string content_type;
  std::string body;
};

}  // namespace thaiyyal
