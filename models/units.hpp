// Physical quantities in scenario files: a JSON number is already in SI units; a string carries
// one of SimGrid's unit suffixes ("10Gf", "20ms", "100MBps", "4KiB"), the same tables SimGrid's
// own platform parser uses, plus watts for power figures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leptonsim::models {

enum class Quantity {
  time,       // seconds:        w d h m s ms us ns ps
  size,       // bytes:          B, b (bits), with k M G T P E Z Y or Ki Mi Gi ... prefixes
  bandwidth,  // bytes/second:   Bps, bps, same prefixes
  speed,      // flop/second:    f or flops, decimal prefixes (k M G ... or kilo mega giga ...)
  work,       // flop:           same spelling as speed ("20Mf" is twenty million flop)
  power,      // watts:          W with m k M G prefixes
};

// Name of the SI unit a quantity is stored in ("s", "B", "B/s", "flop/s", "flop", "W").
std::string_view si_unit(Quantity q);

// Example spellings for error messages ("'20ms', '1.5s' or a number of seconds").
std::string_view unit_examples(Quantity q);

struct UnitParse {
  std::optional<double> value;  // in SI units when parsing succeeded
  std::string error;            // what is wrong otherwise
};

// Parses "<number><unit>" for the given quantity. The number may be signed and use an exponent;
// whitespace between number and unit is allowed. Range checks (positive, finite) are the caller's.
UnitParse parse_quantity(std::string_view text, Quantity q);

}  // namespace leptonsim::models
