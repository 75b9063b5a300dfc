#include "runtime/host.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "http/curl_client.hpp"

namespace thaiyyal {

std::uint64_t Host::random_u64() {
  static thread_local std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

HttpResponse Host::http_get(const HttpRequest&) {
  HttpResponse response;
  response.outcome = HttpResponse::Outcome::RequestFailed;
  response.error = "HTTP is not available in this host";
  return response;
}

std::int64_t StandaloneHost::now_unix_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t StandaloneHost::monotonic_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void StandaloneHost::sleep_nanos(std::int64_t nanos) {
  if (nanos > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(nanos));
}

HttpResponse StandaloneHost::http_get(const HttpRequest& request) {
  return http::curl_get(request);
}

}  // namespace thaiyyal
