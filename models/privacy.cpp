#include "models/privacy.hpp"

#include <fmt/core.h>

namespace leptonsim::models {
namespace {

// A probability strictly between 0 and 1, with the message the privacy literature's readers expect.
std::optional<double> read_delta(const ObjectReader& r, std::string_view key, bool required)
{
  auto v = r.number(key, required, Range{});
  if (!v)
    return std::nullopt;
  if (!(*v > 0.0 && *v < 1.0)) {
    r.error(key, fmt::format("delta must lie in (0, 1), got {}", *v));
    return std::nullopt;
  }
  return v;
}

std::optional<PrivacyBudget> read_budget(const Json& value, const std::string& pointer, Diagnostics& diags)
{
  ObjectReader r(value, pointer, diags, {"epsilon", "delta", "accounting", "on_exhausted"});
  if (!r.ok())
    return std::nullopt;
  PrivacyBudget b;
  auto eps        = r.number("epsilon", true, Range::positive(1e6));
  auto delta      = read_delta(r, "delta", false);
  auto accounting = r.choice("accounting", false, {"basic", "advanced", "rdp"});
  auto on         = r.choice("on_exhausted", false, {"stop", "flag"});
  if (!eps || (r.has("delta") && !delta) || (r.has("accounting") && !accounting) || (r.has("on_exhausted") && !on))
    return std::nullopt;
  b.epsilon = *eps;
  b.delta   = delta.value_or(1e-5);
  if (accounting)
    b.accounting = *accounting == "basic" ? Accounting::basic : *accounting == "advanced" ? Accounting::advanced
                                                                                          : Accounting::rdp;
  if (on)
    b.on_exhausted = *on == "stop" ? OnExhausted::stop : OnExhausted::flag;
  return b;
}

std::optional<DpSpec> read_dp(const Json& value, const std::string& pointer, Diagnostics& diags)
{
  ObjectReader r(value, pointer, diags,
                 {"mechanism", "epsilon", "delta", "sigma", "sensitivity", "values", "noise_flops", "budget"});
  if (!r.ok())
    return std::nullopt;
  DpSpec spec;
  DpMechanism& m = spec.mechanism;
  bool ok        = true;
  auto kind      = r.choice("mechanism", true, {"laplace", "gaussian"});
  if (auto s = r.number("sensitivity", false, Range::positive(1e15)))
    m.sensitivity = *s;
  else if (r.has("sensitivity"))
    ok = false;
  if (auto v = r.number("values", false, Range{1.0, 1e12, true, true}))
    m.values = *v;
  else if (r.has("values"))
    ok = false;
  if (auto f = r.quantity("noise_flops", Quantity::work, false, Range::non_negative(1e15)))
    m.noise_flops = *f;
  else if (r.has("noise_flops"))
    ok = false;
  std::optional<PrivacyBudget> budget;
  if (const Json* b = r.object("budget", true))
    budget = read_budget(*b, r.pointer_of("budget"), diags);
  if (!kind)
    return std::nullopt;
  m.kind = *kind == "laplace" ? DpMechanismKind::laplace : DpMechanismKind::gaussian;
  auto eps   = r.number("epsilon", false, Range::positive(1e6));
  auto delta = read_delta(r, "delta", false);
  auto sigma = r.number("sigma", false, Range::positive(1e15));
  ok = ok && !(r.has("epsilon") && !eps) && !(r.has("delta") && !delta) && !(r.has("sigma") && !sigma);
  if (m.kind == DpMechanismKind::laplace) {
    for (const char* key : {"delta", "sigma"})
      if (r.has(key)) {
        r.error(key, "applies to the gaussian mechanism; the Laplace mechanism is calibrated by \"epsilon\" alone");
        ok = false;
      }
    if (!r.has("epsilon")) {
      r.missing("epsilon");
      ok = false;
    }
    if (!ok || !budget)
      return std::nullopt;
    m.epsilon = *eps;
  } else {
    if (r.has("sigma") == r.has("epsilon")) {
      r.error("sigma", "give either \"sigma\" (the noise's standard deviation) or \"epsilon\" and \"delta\" per "
                       "release (the classical calibration), and only one of them");
      return std::nullopt;
    }
    if (!ok || !budget)
      return std::nullopt;
    if (eps) {
      if (*eps >= 1.0) {
        r.error("epsilon", fmt::format("the classical Gaussian calibration holds for epsilon < 1 (Dwork and Roth, "
                                       "Theorem A.1), got {}; give \"sigma\" instead",
                                       *eps));
        return std::nullopt;
      }
      if (!delta) {
        r.missing("delta");
        return std::nullopt;
      }
      m.epsilon = *eps;
      m.delta   = *delta;
      m.sigma   = gaussian_sigma(m.sensitivity, m.epsilon, m.delta);
    } else {
      m.sigma = *sigma;
      m.delta = delta.value_or(0.0);
      if (budget->accounting != Accounting::rdp) {
        if (!delta) {
          r.error("sigma", std::string("with \"") + to_string(budget->accounting) +
                               "\" accounting each release needs its own (epsilon, delta): give \"delta\" per "
                               "release, or use \"rdp\" accounting");
          return std::nullopt;
        }
        const double per_release = gaussian_epsilon(m.sensitivity, m.sigma, m.delta);
        if (per_release >= 1.0) {
          r.error("sigma", fmt::format("gives epsilon {:.4g} per release at delta {}, where the classical "
                                       "calibration (epsilon < 1) does not hold; raise sigma or use \"rdp\" "
                                       "accounting",
                                       per_release, m.delta));
          return std::nullopt;
        }
      }
    }
  }
  spec.budget           = *budget;
  spec.releases_allowed = releases_within_budget(m, spec.budget);
  return spec;
}

std::optional<SecAggParams> read_secure_aggregation(const Json& value, const std::string& pointer, Diagnostics& diags)
{
  ObjectReader r(value, pointer, diags,
                 {"key_bytes", "share_bytes", "value_bits", "threshold", "key_agreement_flops", "prg_flops_per_value",
                  "field_op_flops"});
  if (!r.ok())
    return std::nullopt;
  SecAggParams p;
  bool ok    = true;
  auto field = [&](const char* key, double& target, std::optional<double> v) {
    if (v)
      target = *v;
    else if (r.has(key))
      ok = false;
  };
  field("key_bytes", p.key_bytes, r.quantity("key_bytes", Quantity::size, false, Range::positive(1e9)));
  field("share_bytes", p.share_bytes, r.quantity("share_bytes", Quantity::size, false, Range::positive(1e9)));
  field("value_bits", p.value_bits, r.number("value_bits", false, Range{1.0, 1024.0, true, true}));
  field("threshold", p.threshold, r.number("threshold", false, Range{0.0, 1.0, true, false}));
  field("key_agreement_flops", p.key_agreement_flops,
        r.quantity("key_agreement_flops", Quantity::work, false, Range::non_negative(1e15)));
  field("prg_flops_per_value", p.prg_flops_per_value,
        r.quantity("prg_flops_per_value", Quantity::work, false, Range::non_negative(1e12)));
  field("field_op_flops", p.field_op_flops,
        r.quantity("field_op_flops", Quantity::work, false, Range::non_negative(1e12)));
  if (!ok)
    return std::nullopt;
  return p;
}

std::optional<HeScheme> read_he(const Json& value, const std::string& pointer, Diagnostics& diags)
{
  ObjectReader r(value, pointer, diags,
                 {"scheme", "expansion", "slowdown", "add_slowdown", "encrypt_flops", "decrypt_flops", "value_bytes"});
  if (!r.ok())
    return std::nullopt;
  auto scheme = r.choice("scheme", true, {"ckks", "paillier", "custom"});
  if (!scheme)
    return std::nullopt;
  HeScheme he;
  const bool custom = *scheme == "custom";
  if (!custom)
    he = *he_preset(*scheme);
  bool ok    = true;
  auto field = [&](const char* key, double& target, std::optional<double> v) {
    if (v)
      target = *v;
    else if (r.has(key) || (custom && (std::string_view(key) == "expansion" || std::string_view(key) == "slowdown")))
      ok = false;
  };
  field("expansion", he.expansion, r.number("expansion", custom, Range{1.0, 1e9, true, true}));
  field("slowdown", he.slowdown, r.number("slowdown", custom, Range{1.0, 1e12, true, true}));
  field("add_slowdown", he.add_slowdown, r.number("add_slowdown", false, Range{1.0, 1e12, true, true}));
  field("encrypt_flops", he.encrypt_flops, r.quantity("encrypt_flops", Quantity::work, false, Range::non_negative(1e15)));
  field("decrypt_flops", he.decrypt_flops, r.quantity("decrypt_flops", Quantity::work, false, Range::non_negative(1e15)));
  field("value_bytes", he.value_bytes, r.quantity("value_bytes", Quantity::size, false, Range::positive(1e6)));
  if (!ok)
    return std::nullopt;
  if (custom && !r.has("add_slowdown"))
    he.add_slowdown = he.slowdown;
  return he;
}

bool read_mpc(const Json& value, const std::string& pointer, Diagnostics& diags, PrivacyHost host,
              const PartyResolver& resolve_party, PrivacySpec& spec)
{
  ObjectReader r(value, pointer, diags, {"parties", "multiplications", "depth", "element_bytes", "output_bytes"});
  if (!r.ok())
    return false;
  MpcParams p;
  bool ok = true;
  if (auto m = r.number("multiplications", false, Range::non_negative(1e15)))
    p.multiplications = *m;
  else if (r.has("multiplications"))
    ok = false;
  auto depth = r.integer("depth", false, 0, 100000);
  if (r.has("depth") && !depth)
    ok = false;
  p.depth = depth ? static_cast<uint64_t>(*depth) : (p.multiplications > 0 ? 1 : 0);
  if (ok && p.multiplications > 0 && p.depth == 0) {
    r.error("depth", "multiplications need at least one round: depth must be >= 1");
    ok = false;
  }
  if (ok && p.multiplications == 0 && p.depth > 0) {
    r.error("depth", "a circuit without multiplications has depth 0 (additions need no round)");
    ok = false;
  }
  if (auto b = r.quantity("element_bytes", Quantity::size, false, Range::positive(1e6)))
    p.element_bytes = *b;
  else if (r.has("element_bytes"))
    ok = false;
  if (auto b = r.quantity("output_bytes", Quantity::size, false, Range::non_negative(1e12)))
    p.output_bytes = *b;
  else if (r.has("output_bytes"))
    ok = false;
  const Json* parties = r.get("parties");
  if (!parties) {
    r.missing("parties");
    return false;
  }
  if (host == PrivacyHost::federated_job) {
    auto n = r.integer("parties", true, 2, 100);
    if (!n)
      return false;
    p.parties = static_cast<uint64_t>(*n);
  } else {
    if (!parties->is_array() || parties->size() < 2) {
      r.error("parties", "must list at least two sites or nodes, one per party, e.g. [\"factory-a\", \"factory-b\"]");
      return false;
    }
    for (size_t i = 0; i < parties->size(); ++i) {
      auto nodes = resolve_party((*parties)[i], join_pointer(r.pointer_of("parties"), i));
      if (!nodes)
        ok = false;
      else
        spec.mpc_parties.push_back(*nodes);
    }
    p.parties = parties->size();
  }
  if (!ok)
    return false;
  spec.mpc = p;
  return true;
}

}  // namespace

std::optional<PrivacySpec> read_privacy(const Json& value, const std::string& pointer, Diagnostics& diags,
                                        PrivacyHost host, const PartyResolver& resolve_party)
{
  ObjectReader r(value, pointer, diags, {"dp", "secure_aggregation", "mpc", "he"});
  if (!r.ok())
    return std::nullopt;
  const size_t before = diags.size();
  PrivacySpec spec;
  if (const Json* dp = r.object("dp", false))
    spec.dp = read_dp(*dp, r.pointer_of("dp"), diags);
  if (const Json* sa = r.object("secure_aggregation", false)) {
    if (host == PrivacyHost::sensor_group)
      r.error("secure_aggregation", "sums the updates of federated clients; for readings use \"mpc\"");
    else
      spec.secure_aggregation = read_secure_aggregation(*sa, r.pointer_of("secure_aggregation"), diags);
  }
  if (const Json* mpc = r.object("mpc", false))
    read_mpc(*mpc, r.pointer_of("mpc"), diags, host, resolve_party, spec);
  if (const Json* he = r.object("he", false))
    spec.he = read_he(*he, r.pointer_of("he"), diags);
  if (diags.size() != before)
    return std::nullopt;
  if (r.has("mpc") && r.has("he")) {
    r.error("he", "combine \"mpc\" or \"he\", not both: each alone keeps the data hidden from the nodes");
    return std::nullopt;
  }
  if (host == PrivacyHost::federated_job && r.has("mpc") && r.has("secure_aggregation")) {
    r.error("mpc", "secure aggregation is already a multi-party protocol for the sum; choose one of them");
    return std::nullopt;
  }
  return spec;
}

}  // namespace leptonsim::models
