// Go encoding/csv reader and writer behaviour (Go 1.24), reimplemented.
#include "engine/go/csv.hpp"

#include <optional>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::go {
namespace {

using go::unicode::append_utf8;
using go::unicode::decode_next;
using go::unicode::is_space;
using go::unicode::kReplacement;

constexpr std::string_view kErrBareQuote = "bare \" in non-quoted-field";
constexpr std::string_view kErrQuote = "extraneous or missing \" in quoted-field";
constexpr std::string_view kErrFieldCount = "wrong number of fields";

std::size_t length_nl(std::string_view line) {
  return (!line.empty() && line.back() == '\n') ? 1 : 0;
}

char32_t next_rune(std::string_view line) {
  if (line.empty()) return 0xFFFFFFFF;  // no rune
  std::size_t pos = 0;
  return decode_next(line, pos);
}

std::size_t rune_len(char32_t r) {
  if (r < 0x80) return 1;
  if (r < 0x800) return 2;
  if (r < 0x10000) return 3;
  return 4;
}

// Index of the first occurrence of rune `r` in `s` (bytes.IndexRune).
std::optional<std::size_t> index_rune(std::string_view s, char32_t r) {
  if (r < 0x80) {
    std::size_t i = s.find(static_cast<char>(r));
    if (i == std::string_view::npos) return std::nullopt;
    return i;
  }
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t start = pos;
    char32_t c = decode_next(s, pos);
    // A literal U+FFFD matches only a real encoding of it, not invalid
    // bytes (bytes.IndexRune searches for the UTF-8 encoding).
    if (c == r && (r != kReplacement || pos - start == 3)) return start;
  }
  return std::nullopt;
}

std::string parse_error(int start_line, int line, int column, std::string_view err) {
  std::string out;
  if (start_line != line) {
    out = "record on line " + std::to_string(start_line) + "; parse error on line " +
          std::to_string(line) + ", column " + std::to_string(column) + ": ";
  } else {
    out =
        "parse error on line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  }
  out += err;
  return out;
}

class Reader {
 public:
  Reader(std::string_view input, const CsvReadOptions& options)
      : input_(input), options_(options) {}

  // Reads one record. Returns false at EOF (no record); sets error_ on
  // failure.
  bool read_record(CsvRecord& record) {
    std::string line;
    bool eof = false;
    for (;;) {
      eof = !read_line(line);
      if (!eof && line.size() == length_nl(line)) continue;  // empty line
      break;
    }
    if (eof) return false;

    const char32_t comma = options_.comma;
    const std::size_t comma_len = rune_len(comma);
    const int rec_line = num_line_;
    int pos_line = num_line_;
    long pos_col = 1;
    std::string_view rest(line);
    std::string field;

    for (;;) {
      if (options_.trim_leading_space) {
        std::size_t i = 0;
        bool found = false;
        while (i < rest.size()) {
          std::size_t next = i;
          char32_t c = decode_next(rest, next);
          if (!is_space(c)) {
            found = true;
            break;
          }
          i = next;
        }
        if (!found) {
          i = rest.size();
          pos_col -= static_cast<long>(length_nl(rest));
        }
        rest.remove_prefix(i);
        pos_col += static_cast<long>(i);
      }
      if (rest.empty() || rest.front() != '"') {
        // Non-quoted field.
        auto i = index_rune(rest, comma);
        std::string_view f = rest;
        if (i) {
          f = f.substr(0, *i);
        } else {
          f = f.substr(0, f.size() - length_nl(f));
        }
        if (std::size_t j = f.find('"'); j != std::string_view::npos) {
          error_ = parse_error(rec_line, num_line_, static_cast<int>(pos_col + j), kErrBareQuote);
          return true;
        }
        record.emplace_back(f);
        if (i) {
          rest.remove_prefix(*i + comma_len);
          pos_col += static_cast<long>(*i + comma_len);
          continue;
        }
        break;
      }
      // Quoted field.
      rest.remove_prefix(1);
      pos_col += 1;
      field.clear();
      bool field_done = false;
      bool record_done = false;
      std::string continuation;
      while (!field_done) {
        std::size_t i = rest.find('"');
        if (i != std::string_view::npos) {
          field.append(rest.substr(0, i));
          rest.remove_prefix(i + 1);
          pos_col += static_cast<long>(i + 1);
          char32_t rn = next_rune(rest);
          if (rn == U'"') {
            field.push_back('"');
            rest.remove_prefix(1);
            pos_col += 1;
          } else if (rn == comma) {
            rest.remove_prefix(comma_len);
            pos_col += static_cast<long>(comma_len);
            record.push_back(field);
            field_done = true;
          } else if (length_nl(rest) == rest.size()) {
            record.push_back(field);
            field_done = true;
            record_done = true;
          } else {
            error_ = parse_error(rec_line, num_line_, static_cast<int>(pos_col - 1), kErrQuote);
            return true;
          }
        } else if (!rest.empty()) {
          field.append(rest);
          pos_col += static_cast<long>(rest.size());
          // Go resets io.EOF here: an empty continuation ends in the
          // "abrupt end of file" branch below.
          if (!read_line(continuation)) continuation.clear();
          line.swap(continuation);
          rest = std::string_view(line);
          if (!rest.empty()) {
            ++pos_line;
            pos_col = 1;
          }
        } else {
          // Abrupt end of file inside quotes.
          error_ = parse_error(rec_line, pos_line, static_cast<int>(pos_col), kErrQuote);
          return true;
        }
      }
      if (record_done) break;
    }

    if (fields_per_record_ > 0) {
      if (record.size() != fields_per_record_) {
        error_ = "record on line " + std::to_string(rec_line) + ": " + std::string(kErrFieldCount);
      }
    } else {
      fields_per_record_ = record.size();
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  // bufio ReadSlice('\n') plus Go's normalisation. Returns false at EOF
  // (no data). Counts lines like Go (also on EOF).
  bool read_line(std::string& line) {
    ++num_line_;
    if (offset_ >= input_.size()) {
      line.clear();
      return false;
    }
    std::size_t nl = input_.find('\n', offset_);
    if (nl == std::string_view::npos) {
      line.assign(input_.substr(offset_));
      offset_ = input_.size();
      if (!line.empty() && line.back() == '\r') line.pop_back();
    } else {
      line.assign(input_.substr(offset_, nl + 1 - offset_));
      offset_ = nl + 1;
    }
    std::size_t n = line.size();
    if (n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n') {
      line[n - 2] = '\n';
      line.pop_back();
    }
    return true;
  }

  std::string_view input_;
  CsvReadOptions options_;
  std::size_t offset_ = 0;
  int num_line_ = 0;
  std::size_t fields_per_record_ = 0;
  std::string error_;
};

}  // namespace

bool csv_valid_delimiter(char32_t comma) {
  return comma != 0 && comma != U'"' && comma != U'\r' && comma != U'\n' && comma <= 0x10FFFF &&
         !(comma >= 0xD800 && comma <= 0xDFFF) && comma != kReplacement;
}

CsvReadResult csv_read_all(std::string_view input, const CsvReadOptions& options) {
  CsvReadResult result;
  if (!csv_valid_delimiter(options.comma)) {
    result.error = std::string(kCsvInvalidDelimiter);
    return result;
  }
  Reader reader(input, options);
  InterruptPoll poll;
  std::uint64_t held = 0;  // bytes the records hold, as the budget counts them
  for (;;) {
    CsvRecord record;
    if (!reader.read_record(record)) break;
    if (!reader.error().empty()) {
      result.error = reader.error();
      result.records.clear();
      return result;
    }
    held += record.capacity() * sizeof(std::string);
    for (const std::string& field : record) {
      poll.tick();
      held += run_memory::string_heap_bytes(field.capacity());
    }
    run_memory::ensure_available(held);
    run_memory::ensure_room_to_append(result.records);
    result.records.push_back(std::move(record));
  }
  return result;
}

namespace {

bool field_needs_quotes(std::string_view field, char32_t comma) {
  if (field.empty()) return false;
  if (field == "\\.") return true;
  if (comma < 0x80) {
    for (char c : field) {
      if (c == '\n' || c == '\r' || c == '"' || c == static_cast<char>(comma)) return true;
    }
  } else {
    if (field.find_first_of("\"\r\n") != std::string_view::npos) return true;
    std::size_t pos = 0;
    while (pos < field.size()) {
      std::size_t start = pos;
      char32_t c = decode_next(field, pos);
      if (c == comma && (c != kReplacement || pos - start == 3)) return true;
    }
  }
  std::size_t pos = 0;
  return is_space(decode_next(field, pos));
}

}  // namespace

void csv_append_record(std::string& out, const CsvRecord& fields, char32_t comma) {
  for (std::size_t n = 0; n < fields.size(); ++n) {
    if (n > 0) append_utf8(out, comma);
    const std::string& field = fields[n];
    if (!field_needs_quotes(field, comma)) {
      out += field;
      continue;
    }
    out.push_back('"');
    for (char c : field) {
      if (c == '"') {
        out += "\"\"";
      } else {
        out.push_back(c);  // \r and \n are written as they are
      }
    }
    out.push_back('"');
  }
  out.push_back('\n');
}

}  // namespace thaiyyal::go
