#include "engine/run/host.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "engine/http/curl_client.hpp"

namespace thaiyyal {

// Execution ids and random node behaviour need well-spread bits, not
// cryptographic ones: a per-thread splitmix64 sequence, seeded once from
// std::random_device (which costs about half a microsecond per call here,
// more than running a small workflow). The state is seeded on first use, so
// PostgreSQL backends, forked before they run anything, each get their own.
std::uint64_t Host::random_u64() {
  static thread_local std::uint64_t state = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
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
