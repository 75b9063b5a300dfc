// `http` (nodes.md `http`): a GET through the host (Host::http_get) with
// the reference's protections: AllowHTTP, the per-run call limit, the SSRF
// URL checks (http/url_guard, re-applied to every redirect target and to
// every address connected to), timeout, redirect and body-size limits.
// JSON bodies keep their number literals (Kind::JsonNumber).
#include <string>
#include <string_view>

#include "engine/go/json.hpp"
#include "engine/go/net_ip.hpp"
#include "engine/http/url_guard.hpp"
#include "engine/nodes/node_util.hpp"
#include "engine/run/workflow_timeout.hpp"

namespace thaiyyal {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The reference's isJSONContentType: "application/json" or
// "application/*+json", parameters and case ignored.
bool is_json_content_type(std::string_view content_type) {
  if (content_type.empty()) return false;
  std::string ct = ascii_lower(content_type);
  if (const std::size_t semi = ct.find(';'); semi != std::string::npos) ct.resize(semi);
  const std::size_t begin = ct.find_first_not_of(" \t\r\n\v\f");
  if (begin == std::string::npos) return false;
  const std::size_t end = ct.find_last_not_of(" \t\r\n\v\f");
  ct = ct.substr(begin, end - begin + 1);
  if (ct == "application/json") return true;
  return ct.size() >= 17 && ct.compare(0, 12, "application/") == 0 &&
         ct.compare(ct.size() - 5, 5, "+json") == 0;
}

// Go bytes.TrimSpace then first byte '{' or '[' (looksLikeJSON). Besides
// ASCII white space, bytes.TrimSpace also trims U+0085 and U+00A0.
bool looks_like_json(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size()) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
      ++i;
    } else if (c == 0xC2 && i + 1 < body.size() &&
               (static_cast<unsigned char>(body[i + 1]) == 0x85 ||
                static_cast<unsigned char>(body[i + 1]) == 0xA0)) {
      i += 2;
    } else {
      break;
    }
  }
  return i < body.size() && (body[i] == '{' || body[i] == '[');
}

class HttpExecutor final : public NodeExecutor {
 public:
  explicit HttpExecutor(std::string url) : url_(std::move(url)) {}

  Value execute(RunContext& run, const std::vector<Value>&) const override {
    const Limits& limits = run.limits();
    if (!limits.allow_http) {
      throw NodeError(
          "HTTP requests are not allowed (AllowHTTP=false). Enable AllowHTTP in config to make "
          "HTTP requests");
    }
    const std::int64_t calls = run.count_http_call();
    if (limits.max_http_calls_per_execution > 0 && calls > limits.max_http_calls_per_execution) {
      throw NodeError("maximum HTTP calls per execution exceeded: " + std::to_string(calls) +
                      " (limit: " + std::to_string(limits.max_http_calls_per_execution) + ")");
    }

    // The reference skips this check when `http_client_uid` names a
    // pre-registered client; there are none here, so it always applies
    // (docs/COMPATIBILITY.md).
    const http::UrlPolicy policy = http::UrlPolicy::from_limits(limits);
    http::UrlValidation checked = http::validate_url(url_, policy);
    if (!checked.ok()) throw NodeError("URL validation failed: " + checked.error);

    HttpRequest request;
    request.url = url_;
    request.pinned_addresses = std::move(checked.addresses);
    request.timeout_ms = limits.http_timeout_ms;
    request.max_redirects = limits.max_http_redirects;
    request.max_body_size = limits.max_response_size;
    request.validate_redirect = [&policy](const std::string& target,
                                          std::vector<std::string>& pinned) -> std::string {
      http::UrlValidation v = http::validate_url(target, policy);
      if (!v.ok()) return "redirect URL validation failed: " + v.error;
      pinned = std::move(v.addresses);
      return {};
    };
    request.check_address = [&policy](const std::string& address) -> std::string {
      auto ip = go::parse_ip(address);
      if (!ip) return "unrecognised address";
      return http::check_ip(*ip, policy);
    };
    request.check_interrupts = [&run] {
      run.host().check_interrupts();
      if (run.deadline_passed()) throw WorkflowTimeout();
    };

    HttpResponse response = run.host().http_get(request);
    switch (response.outcome) {
      case HttpResponse::Outcome::Ok:
        break;
      case HttpResponse::Outcome::RequestFailed:
        throw NodeError("HTTP request failed: " + response.error);
      case HttpResponse::Outcome::ReadFailed:
        throw NodeError("failed to read response body: " + response.error);
      case HttpResponse::Outcome::TooLarge:
        throw NodeError("response too large (exceeds " + std::to_string(limits.max_response_size) +
                        " bytes limit)");
    }
    if (response.status < 200 || response.status >= 300) {
      throw NodeError("HTTP request returned error status: " + std::to_string(response.status));
    }

    const bool declared_json = is_json_content_type(response.content_type);
    if (declared_json || (response.content_type.empty() && looks_like_json(response.body))) {
      // Go: json.NewDecoder(body).UseNumber().Decode(&v): one value,
      // trailing data ignored, numbers kept as their literal text.
      JsonParseOptions options;
      options.allow_trailing = true;
      options.numbers_as_json_number = true;
      try {
        return parse_json(response.body, options);
      } catch (const JsonParseError& e) {
        if (declared_json)
          throw NodeError(std::string("failed to parse JSON response: ") + e.what());
      }
    }
    return Value::string(std::move(response.body));
  }

 private:
  std::string url_;
};

}  // namespace

void register_http_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "http";
  info.struct_name = "HTTPData";
  info.fields = {field("url", FieldType::String), field("http_client_uid", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("url");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<HttpExecutor>(data.string_or("url", ""));
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
