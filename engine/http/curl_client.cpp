#include "engine/http/curl_client.hpp"

#if __has_include(<curl/curl.h>)
#define THAIYYAL_HAVE_CURL 1
#else
#define THAIYYAL_HAVE_CURL 0
#endif

#if THAIYYAL_HAVE_CURL

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/run_memory.hpp"
#include "engine/go/net_ip.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/url.hpp"
#include "engine/http/url_guard.hpp"

namespace thaiyyal::http {
namespace {

constexpr long kPollMillis = 50;
// What the reference's Go client sends (no Accept header, gzip accepted).
constexpr const char* kUserAgent = "Go-http-client/1.1";

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The state of one request/response exchange (one redirect hop), shared
// with the libcurl callbacks.
struct Exchange {
  const HttpRequest* request = nullptr;
  std::vector<std::string> pinned;
  long status = 0;
  std::string content_type;
  bool have_content_type = false;
  std::string location;
  bool have_location = false;
  bool headers_done = false;  // the final (non-1xx) response's headers ended
  bool want_body = false;     // 2xx: the body is read
  bool stopped_after_headers = false;
  bool too_large = false;
  std::string body;
  std::string last_address;     // "ip:port" of the last socket opened
  std::string refused_address;  // opensocket refusal
  std::string refused_reason;
  std::exception_ptr error;  // thrown inside a callback, rethrown later
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  try {
    std::string_view line = trim(std::string_view(data, n));
    if (line.substr(0, 5) == "HTTP/") {
      // A new response (interim 1xx or the final one) starts.
      ex->status = 0;
      const size_t space = line.find(' ');
      if (space != std::string_view::npos) {
        for (size_t i = space + 1; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
          ex->status = ex->status * 10 + (line[i] - '0');
        }
      }
      ex->have_content_type = false;
      ex->content_type.clear();
      ex->have_location = false;
      ex->location.clear();
      return n;
    }
    if (line.empty()) {
      if (ex->status >= 200 || ex->status < 100) {
        ex->headers_done = true;
        ex->want_body = ex->status >= 200 && ex->status < 300;
        if (!ex->want_body) {
          // Redirects and error statuses: the body is never read.
          ex->stopped_after_headers = true;
          return 0;
        }
      }
      return n;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (!ex->have_content_type && equals_ignore_case(name, "content-type")) {
      ex->have_content_type = true;
      ex->content_type = std::string(value);
    } else if (!ex->have_location && equals_ignore_case(name, "location")) {
      ex->have_location = true;
      ex->location = std::string(value);
    }
    return n;
  } catch (...) {
    ex->error = std::current_exception();
    return 0;
  }
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  try {
    if (!ex->want_body) {
      ex->stopped_after_headers = true;
      return 0;
    }
    const std::int64_t limit = ex->request->max_body_size;
    if (limit < 0) return n;  // Go's LimitReader(<0) reads nothing
    if (static_cast<std::int64_t>(ex->body.size()) + static_cast<std::int64_t>(n) > limit) {
      ex->too_large = true;
      return 0;
    }
    // The body becomes a value of the run: it must fit the run's memory
    // budget as well (RunMemoryExceeded is rethrown after the transfer).
    if (ex->body.size() + n > ex->body.capacity()) {
      run_memory::ensure_available(
          std::max<std::uint64_t>(2 * ex->body.capacity(), ex->body.size() + n));
    }
    ex->body.append(data, n);
    return n;
  } catch (...) {
    ex->error = std::current_exception();
    return 0;
  }
}

std::string host_port(const std::string& address, long port) {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* ex = static_cast<Exchange*>(user);
  try {
    go::IpAddress ip;
    long port = 0;
    if (address->family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(&address->addr);
      ip = go::IpAddress::v4(0, 0, 0, 0);
      std::memcpy(&ip.bytes[12], &sin->sin_addr, 4);
      port = ntohs(sin->sin_port);
    } else if (address->family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
      std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
      port = ntohs(sin6->sin6_port);
    } else {
      ex->refused_reason = "unsupported address family";
      return CURL_SOCKET_BAD;
    }
    const std::string text = go::format_ip(ip);
    ex->last_address = host_port(text, port);
    std::string reason;
    if (!ex->pinned.empty() &&
        std::find(ex->pinned.begin(), ex->pinned.end(), text) == ex->pinned.end()) {
      reason = "address was not validated";
    } else if (ex->request->check_address) {
      reason = ex->request->check_address(text);
    }
    if (!reason.empty()) {
      ex->refused_address = ex->last_address;
      ex->refused_reason = std::move(reason);
      return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  } catch (...) {
    ex->error = std::current_exception();
    return CURL_SOCKET_BAD;
  }
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter {
  void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// Removes the easy handle from the multi handle before either is freed.
struct Attachment {
  CURLM* multi;
  CURL* easy;
  ~Attachment() { curl_multi_remove_handle(multi, easy); }
};

using Clock = std::chrono::steady_clock;

std::string errno_text(long err) {
  std::string text = std::strerror(static_cast<int>(err));
  // Go's syscall error strings are lower-case ("connection refused").
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = char(text[0] - 'A' + 'a');
  return text;
}

struct HopResult {
  CURLcode code = CURLE_OK;
  bool deadline_hit = false;
  std::string error_buffer;
  long os_errno = 0;
  std::string primary_ip;
  long primary_port = 0;
};

// One request of the chain. Throws only what check_interrupts or a
// callback threw.
HopResult perform(Exchange& ex, const go::Url& url, bool has_deadline, Clock::time_point deadline) {
  const HttpRequest& request = *ex.request;
  HopResult hop;
  // Everything the easy handle points to is declared before it, so that
  // it outlives the handle (destruction runs in reverse order).
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::unique_ptr<curl_slist, ListDeleter> headers(curl_slist_append(nullptr, "Accept:"));
  std::unique_ptr<curl_slist, ListDeleter> resolve;
  const std::string url_text = request_url(url);
  for (const auto& [name, value] : request.headers) {
    // The host's own headers; a line break would start another header.
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos || name.empty()) {
      continue;
    }
    const std::string line = name + ": " + value;
    curl_slist* extended = curl_slist_append(headers.get(), line.c_str());
    if (extended == nullptr) throw std::bad_alloc();
    (void)headers.release();
    headers.reset(extended);
  }
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!easy || !multi || !headers) throw std::bad_alloc();

  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &ex);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);

  // Pin the validated addresses: no second DNS lookup for this host.
  if (!ex.pinned.empty()) {
    std::string port = url.port();
    if (port.empty()) port = url.scheme == "https" ? "443" : "80";
    std::string entry = url.hostname() + ":" + port + ":";
    for (size_t i = 0; i < ex.pinned.size(); ++i) {
      if (i > 0) entry += ',';
      const std::string& a = ex.pinned[i];
      entry += a.find(':') != std::string::npos ? "[" + a + "]" : a;
    }
    resolve.reset(curl_slist_append(nullptr, entry.c_str()));
    curl_easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
  }

  if (has_deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      hop.code = CURLE_OPERATION_TIMEDOUT;
      hop.deadline_hit = true;
      return hop;
    }
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  }

  curl_multi_add_handle(multi.get(), h);
  Attachment attachment{multi.get(), h};
  for (;;) {
    int running = 0;
    const CURLMcode mc = curl_multi_perform(multi.get(), &running);
    if (ex.error) std::rethrow_exception(ex.error);
    if (mc != CURLM_OK) {
      hop.code = CURLE_FAILED_INIT;
      hop.error_buffer = curl_multi_strerror(mc);
      return hop;
    }
    if (running == 0) break;
    if (request.check_interrupts) request.check_interrupts();
    long wait = kPollMillis;
    if (has_deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left < 0) {
        hop.code = CURLE_OPERATION_TIMEDOUT;
        hop.deadline_hit = true;
        return hop;
      }
      wait = std::clamp<long>(static_cast<long>(left), 1, kPollMillis);
    }
    curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait), nullptr);
  }
  int pending = 0;
  hop.code = CURLE_OK;
  while (CURLMsg* msg = curl_multi_info_read(multi.get(), &pending)) {
    if (msg->msg == CURLMSG_DONE && msg->easy_handle == h) hop.code = msg->data.result;
  }
  hop.error_buffer = error_buffer;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &hop.os_errno);
  char* ip = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr)
    hop.primary_ip = ip;
  curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &hop.primary_port);
  return hop;
}

bool is_redirect_status(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

HttpResponse request_failed(std::string text) {
  HttpResponse response;
  response.outcome = HttpResponse::Outcome::RequestFailed;
  response.error = std::move(text);
  return response;
}

}  // namespace

bool curl_available() {
  return true;
}

HttpResponse curl_get(const HttpRequest& request) {
  global_init();
  const bool has_deadline = request.timeout_ms > 0;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms);

  std::string parse_error;
  auto current = go::Url::parse(request.url, parse_error);
  if (!current) return request_failed(parse_error);
  std::vector<std::string> pinned = request.pinned_addresses;
  std::int64_t requests_made = 0;

  for (;;) {
    if (request.check_interrupts) request.check_interrupts();
    Exchange ex;
    ex.request = &request;
    ex.pinned = pinned;
    const std::string shown = "Get " + go_quote(current->strip_password()) + ": ";
    HopResult hop = perform(ex, *current, has_deadline, deadline);
    ++requests_made;

    const bool stopped_on_purpose =
        hop.code == CURLE_WRITE_ERROR && (ex.stopped_after_headers || ex.too_large);
    if (hop.code != CURLE_OK && !stopped_on_purpose) {
      const bool reading_body = ex.headers_done && ex.want_body;
      HttpResponse failure;
      switch (hop.code) {
        case CURLE_OPERATION_TIMEDOUT:
          if (reading_body) {
            failure.outcome = HttpResponse::Outcome::ReadFailed;
            failure.error =
                "context deadline exceeded (Client.Timeout or context cancellation while reading "
                "body)";
            return failure;
          }
          return request_failed(shown +
                                "context deadline exceeded (Client.Timeout exceeded while "
                                "awaiting headers)");
        case CURLE_COULDNT_RESOLVE_HOST:
          return request_failed(shown + "dial tcp: lookup " + current->hostname() +
                                ": no such host");
        case CURLE_COULDNT_CONNECT:
          if (!ex.refused_reason.empty()) {
            std::string where = ex.refused_address.empty() ? "" : " " + ex.refused_address;
            return request_failed(shown + "dial tcp" + where + ": " + ex.refused_reason);
          }
          if (hop.os_errno != 0) {
            const std::string where = !hop.primary_ip.empty()
                                          ? host_port(hop.primary_ip, hop.primary_port)
                                          : ex.last_address;
            return request_failed(shown + "dial tcp " + where +
                                  ": connect: " + errno_text(hop.os_errno));
          }
          break;
        case CURLE_GOT_NOTHING:
          return request_failed(shown + "EOF");
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
          if (reading_body) {
            failure.outcome = HttpResponse::Outcome::ReadFailed;
            failure.error = "unexpected EOF";
            return failure;
          }
          break;
        default:
          break;
      }
      std::string detail =
          hop.error_buffer.empty() ? curl_easy_strerror(hop.code) : hop.error_buffer;
      if (reading_body) {
        failure.outcome = HttpResponse::Outcome::ReadFailed;
        failure.error = detail;
        return failure;
      }
      return request_failed(shown + detail);
    }

    if (is_redirect_status(ex.status) && ex.have_location && !ex.location.empty()) {
      auto ref = go::Url::parse(ex.location, parse_error);
      if (!ref) {
        return request_failed(shown + "failed to parse Location header " + go_quote(ex.location) +
                              ": " + parse_error);
      }
      const std::string loc_shown = "Get " + go_quote(ex.location) + ": ";
      if (requests_made >= request.max_redirects) {
        return request_failed(loc_shown + "too many redirects (max " +
                              std::to_string(request.max_redirects) + ")");
      }
      const std::string next_text = current->resolve_reference(*ref).string();
      std::vector<std::string> next_pinned;
      if (request.validate_redirect) {
        std::string reason = request.validate_redirect(next_text, next_pinned);
        if (!reason.empty()) return request_failed(loc_shown + reason);
      }
      // Re-parse the text that was validated, so that what is requested is
      // exactly what passed the checks.
      current = go::Url::parse(next_text, parse_error);
      if (!current) return request_failed(loc_shown + parse_error);
      pinned = std::move(next_pinned);
      continue;
    }

    HttpResponse response;
    if (ex.too_large) {
      response.outcome = HttpResponse::Outcome::TooLarge;
      return response;
    }
    response.outcome = HttpResponse::Outcome::Ok;
    response.status = ex.status;
    response.content_type = std::move(ex.content_type);
    response.body = std::move(ex.body);
    return response;
  }
}

}  // namespace thaiyyal::http

#else  // !THAIYYAL_HAVE_CURL

namespace thaiyyal::http {

bool curl_available() {
  return false;
}

HttpResponse curl_get(const HttpRequest&) {
  HttpResponse response;
  response.outcome = HttpResponse::Outcome::RequestFailed;
  response.error = "HTTP support was not built (libcurl missing)";
  return response;
}

}  // namespace thaiyyal::http

#endif
