// The HTTP GET of the `http` node on libcurl, shaped after the reference's
// Go http.Client (nodes.md `http` steps 4-6): manual redirects, each target
// re-validated through HttpRequest::validate_redirect; connections pinned
// to the validated addresses (CURLOPT_RESOLVE) and every address checked
// again right before connect (CURLOPT_OPENSOCKETFUNCTION); http/https only;
// no proxy (environment variables ignored); one overall timeout; the body
// limit enforced while streaming.
//
// The transfer runs on curl's multi interface in a loop owned by this code:
// HttpRequest::check_interrupts is called between polls of at most 50 ms,
// outside libcurl's C frames, so whatever it throws (a PostgreSQL query
// cancel, the workflow deadline) unwinds normally after the curl handles
// are released. libcurl callbacks never throw: they record the exception,
// abort the transfer, and it is rethrown once curl has returned.
#pragma once

#include "engine/common/no_postgres.hpp"
#include "engine/http/http_types.hpp"

namespace thaiyyal::http {

// False when the engine was built without libcurl; curl_get then fails
// every request.
bool curl_available();

// Performs the GET. Failures are reported in the response; only what
// check_interrupts throws (and std::bad_alloc) escapes.
HttpResponse curl_get(const HttpRequest& request);

}  // namespace thaiyyal::http
