// The journal of a durable run (journal.hpp).
#include "engine/run/journal.hpp"

#include <cstdio>
#include <utility>

#include "engine/value/value_codec.hpp"

namespace thaiyyal {

namespace {

constexpr char kFormatVersion = 1;

bool valid_kind(char c) {
  switch (static_cast<JournalEntry::Kind>(c)) {
    case JournalEntry::Kind::WallClock:
    case JournalEntry::Kind::Random:
    case JournalEntry::Kind::Sleep:
    case JournalEntry::Kind::SqlQuery:
    case JournalEntry::Kind::SqlBatch:
    case JournalEntry::Kind::Http:
    case JournalEntry::Kind::NodeDone:
    case JournalEntry::Kind::Cut:
    case JournalEntry::Kind::CutUnfinished:
    case JournalEntry::Kind::Lenient:
      return true;
  }
  return false;
}

}  // namespace

std::string encode_journal(const std::vector<JournalEntry>& entries) {
  std::string out;
  out.push_back(kFormatVersion);
  for (const JournalEntry& entry : entries) {
    encode_bytes(out, entry.node);
    out.push_back(static_cast<char>(entry.kind));
    encode_value(out, entry.value);
  }
  return out;
}

void decode_journal(std::string_view stored, std::vector<JournalEntry>& out) {
  try {
    if (stored.empty() || stored[0] != kFormatVersion) {
      throw JournalFormatError("checkpoint written by an unknown version of thaiyyal");
    }
    std::size_t pos = 1;
    while (pos < stored.size()) {
      JournalEntry entry;
      entry.node = std::string(decode_bytes(stored, pos));
      if (pos >= stored.size() || !valid_kind(stored[pos])) {
        throw JournalFormatError("checkpoint entry of an unknown kind");
      }
      entry.kind = static_cast<JournalEntry::Kind>(stored[pos++]);
      entry.value = decode_value(stored, pos);
      out.push_back(std::move(entry));
    }
  } catch (const ValueDecodeError& e) {
    throw JournalFormatError("damaged checkpoint: " + e.message());
  }
}

RunJournal::RunJournal(const std::vector<JournalEntry>& recorded) {
  std::map<std::string, bool, std::less<>> done;
  for (const JournalEntry& entry : recorded) {
    switch (entry.kind) {
      case JournalEntry::Kind::Cut:
        queues_.erase(entry.node);
        done.erase(entry.node);
        break;
      case JournalEntry::Kind::CutUnfinished:
        for (auto it = queues_.begin(); it != queues_.end();) {
          if (done.count(it->first) == 0) {
            it = queues_.erase(it);
          } else {
            ++it;
          }
        }
        break;
      case JournalEntry::Kind::Lenient:
        lenient_ = true;
        break;
      case JournalEntry::Kind::NodeDone:
        done[entry.node] = true;
        queues_[entry.node].push_back(entry);
        break;
      default:
        queues_[entry.node].push_back(entry);
        break;
    }
  }
}

const JournalEntry* RunJournal::peek(std::string_view node) const {
  auto it = queues_.find(node);
  if (it == queues_.end() || it->second.empty()) return nullptr;
  return &it->second.front();
}

void RunJournal::pop(std::string_view node) {
  auto it = queues_.find(node);
  if (it != queues_.end() && !it->second.empty()) it->second.pop_front();
}

void RunJournal::drop(std::string_view node) {
  auto it = queues_.find(node);
  if (it != queues_.end()) queues_.erase(it);
}

void RunJournal::forget_pending(std::size_t count) {
  if (count >= pending_.size()) {
    pending_.clear();
  } else {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
  }
}

bool RunJournal::restored(std::string_view node) const {
  auto it = restored_.find(node);
  return it != restored_.end() && it->second;
}

std::string fingerprint(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(buf, 16);
}

}  // namespace thaiyyal
