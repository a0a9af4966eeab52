// Reading user JSON with every problem reported as "file: /json/pointer: what is wrong".
// Readers collect diagnostics instead of stopping at the first one, reject unknown keys with a
// did-you-mean suggestion, and resolve unit strings through models/units.hpp.
#pragma once

#include "models/units.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leptonsim::models {

using Json = nlohmann::json;

struct Diagnostic {
  std::string pointer;  // RFC 6901 JSON pointer, "" for the whole document
  std::string message;
};

class Diagnostics {
public:
  void add(std::string pointer, std::string message);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }

private:
  std::vector<Diagnostic> items_;
};

// Thrown when user input is invalid; what() holds one "file: pointer: message" line per problem.
class InputError : public std::runtime_error {
public:
  InputError(const std::string& file, const std::vector<Diagnostic>& problems);
  InputError(const std::string& file, const std::string& pointer, const std::string& message);
  const std::vector<Diagnostic>& problems() const { return problems_; }

private:
  std::vector<Diagnostic> problems_;
};

std::string format_diagnostics(const std::string& file, const std::vector<Diagnostic>& problems);

// RFC 6901 escaping of one reference token ("~" -> "~0", "/" -> "~1").
std::string escape_pointer_token(std::string_view token);
std::string join_pointer(const std::string& parent, std::string_view token);
std::string join_pointer(const std::string& parent, size_t index);

// Nearest candidate by edit distance, or empty when nothing is close enough to be a likely typo.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Parses JSON text; syntax errors and duplicate keys become an InputError naming line and column
// (syntax) or the pointer of the duplicate key.
Json parse_json_text(const std::string& text, const std::string& file);
Json load_json_file(const std::string& path);

// Bounds for numeric values, with the wording used in messages.
struct Range {
  double min           = -std::numeric_limits<double>::infinity();
  double max           = std::numeric_limits<double>::infinity();
  bool min_inclusive   = true;
  bool max_inclusive   = true;

  static Range positive(double max = std::numeric_limits<double>::max()) { return {0.0, max, false, true}; }
  static Range non_negative(double max = std::numeric_limits<double>::max()) { return {0.0, max, true, true}; }
  static Range closed(double lo, double hi) { return {lo, hi, true, true}; }
  bool contains(double v) const;
  std::string describe_violation(double v, std::string_view unit) const;
};

// A JSON object being read at a known pointer. Keys outside `allowed` are reported at once.
class ObjectReader {
public:
  ObjectReader(const Json& value, std::string pointer, Diagnostics& diagnostics,
               std::initializer_list<std::string_view> allowed);

  bool ok() const { return is_object_; }
  const std::string& pointer() const { return pointer_; }
  std::string pointer_of(std::string_view key) const { return join_pointer(pointer_, key); }
  const Json& json() const { return value_; }
  bool has(std::string_view key) const;
  const Json* get(std::string_view key) const;  // nullptr when absent (or when this is not an object)
  Diagnostics& diagnostics() const { return diagnostics_; }

  void error(std::string_view key, std::string message) const;
  void missing(std::string_view key) const;

  std::optional<std::string> string(std::string_view key, bool required) const;
  std::optional<bool> boolean(std::string_view key, bool required) const;
  std::optional<double> number(std::string_view key, bool required, Range range) const;
  std::optional<int64_t> integer(std::string_view key, bool required, int64_t min, int64_t max) const;
  std::optional<double> quantity(std::string_view key, Quantity q, bool required, Range range) const;
  std::optional<std::string> choice(std::string_view key, bool required,
                                    const std::vector<std::string>& options) const;
  const Json* array(std::string_view key, bool required, bool allow_empty = false) const;
  const Json* object(std::string_view key, bool required) const;

private:
  const Json& value_;
  std::string pointer_;
  Diagnostics& diagnostics_;
  bool is_object_;
};

// Standalone value readers for array elements and the like.
std::optional<double> read_quantity(const Json& value, const std::string& pointer, Quantity q, Range range,
                                    Diagnostics& diagnostics);
std::optional<int64_t> read_integer(const Json& value, const std::string& pointer, int64_t min, int64_t max,
                                    Diagnostics& diagnostics);

std::string type_name(const Json& value);

// Names of things users refer to (sites, nodes, jobs, scenarios, sweeps): they end up in host
// names, folder names and CSV cells, so they are kept to a safe alphabet.
bool valid_identifier(const std::string& s);
inline constexpr const char* identifier_rule = "letters, digits, '_' and '-' only (at most 128 characters)";

}  // namespace leptonsim::models
