#include "models/scenario.hpp"

#include "models/cost_model.hpp"
#include "models/topology.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace leptonsim::models {

const char* to_string(SiteKind k) { return k == SiteKind::edge ? "edge" : "cloud"; }
const char* to_string(NodeKind k)
{
  switch (k) {
    case NodeKind::edge:
      return "edge";
    case NodeKind::cloud:
      return "cloud";
    case NodeKind::qpu:
      return "qpu";
  }
  return "?";
}
const char* to_string(NetworkModelKind k)
{
  switch (k) {
    case NetworkModelKind::ideal:
      return "ideal";
    case NetworkModelKind::cm02:
      return "cm02";
    case NetworkModelKind::lv08:
      return "lv08";
  }
  return "?";
}
const char* to_string(PolicyKind k)
{
  switch (k) {
    case PolicyKind::round_robin:
      return "round_robin";
    case PolicyKind::capacity_weighted:
      return "capacity_weighted";
    case PolicyKind::least_loaded:
      return "least_loaded";
  }
  return "?";
}
const char* to_string(ArrivalKind k) { return k == ArrivalKind::periodic ? "periodic" : "poisson"; }
const char* to_string(WorkloadKind k) { return k == WorkloadKind::batch ? "batch" : "stream"; }

namespace {

const std::vector<std::string> policy_names{"round_robin", "capacity_weighted", "least_loaded"};

PolicyKind policy_from_name(const std::string& name)
{
  if (name == "round_robin")
    return PolicyKind::round_robin;
  if (name == "capacity_weighted")
    return PolicyKind::capacity_weighted;
  return PolicyKind::least_loaded;
}

// Builds the Scenario while collecting diagnostics. Names resolve through the maps below; a
// replicated entry ("count": n) is known both by its template name and by each replica's name.
class ScenarioParser {
public:
  ScenarioParser(const Json& doc, const std::string& file) : doc_(doc), file_(file) {}

  Scenario parse()
  {
    ObjectReader root(doc_, "", diags_,
                      {"name", "description", "seed", "network", "platform", "workload", "policy", "expect", "output",
                       "$schema"});
    if (!root.ok())
      throw InputError(file_, diags_.items());
    scenario_.file = file_;
    scenario_.document = doc_;
    if (auto name = root.string("name", true)) {
      if (valid_identifier(*name))
        scenario_.name = *name;
      else
        root.error("name", "'" + *name + "' is not a valid name: " + identifier_rule);
    }
    if (auto d = root.string("description", false))
      scenario_.description = *d;
    if (auto seed = root.integer("seed", false, 0, std::numeric_limits<int64_t>::max()))
      scenario_.seed = static_cast<uint64_t>(*seed);

    read_network(root);
    read_default_policy(root);
    if (const Json* platform = root.object("platform", true))
      read_platform(*platform, root.pointer_of("platform"));
    if (const Json* workload = root.object("workload", true))
      read_workload(*workload, root.pointer_of("workload"));
    if (const Json* expect = root.object("expect", false))
      read_expect(*expect, root.pointer_of("expect"));
    if (const Json* output = root.object("output", false))
      read_output(*output, root.pointer_of("output"));
    check_size();

    if (!diags_.empty())
      throw InputError(file_, diags_.items());
    return std::move(scenario_);
  }

private:
  const Json& doc_;
  std::string file_;
  Diagnostics diags_;
  Scenario scenario_;
  PolicySpec default_policy_;
  bool platform_ok_ = false;

  // Site names (replica names and template names) -> site indices.
  std::map<std::string, std::vector<size_t>, std::less<>> site_names_;
  std::map<std::string, std::vector<size_t>, std::less<>> node_names_;  // compute nodes only
  std::map<std::string, std::string, std::less<>> used_names_;          // every name -> where declared

  bool claim_name(const std::string& name, const std::string& pointer)
  {
    auto [it, inserted] = used_names_.emplace(name, pointer);
    if (!inserted)
      diags_.add(pointer, "name '" + name + "' is already used at " + it->second);
    return inserted;
  }

  void read_network(const ObjectReader& root)
  {
    const Json* net = root.object("network", false);
    if (!net)
      return;
    ObjectReader r(*net, root.pointer_of("network"), diags_, {"model", "tcp_gamma"});
    if (auto model = r.choice("model", false, {"ideal", "cm02", "lv08"})) {
      scenario_.network.model = *model == "ideal"  ? NetworkModelKind::ideal
                                : *model == "cm02" ? NetworkModelKind::cm02
                                                   : NetworkModelKind::lv08;
    }
    if (auto gamma = r.quantity("tcp_gamma", Quantity::size, false, Range::positive(1e15)))
      scenario_.network.tcp_gamma = *gamma;
  }

  std::optional<PolicySpec> read_policy(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name"});
    if (!r.ok())
      return std::nullopt;
    auto name = r.choice("name", true, policy_names);
    if (!name)
      return std::nullopt;
    return PolicySpec{policy_from_name(*name)};
  }

  void read_default_policy(const ObjectReader& root)
  {
    if (const Json* p = root.get("policy")) {
      if (auto spec = read_policy(*p, root.pointer_of("policy")))
        default_policy_ = *spec;
    }
  }

  std::optional<LinkSpec> read_link(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"bandwidth", "latency", "sharing"});
    return link_fields(r);
  }

  // The bandwidth/latency/sharing fields of a node link or a backbone link entry.
  std::optional<LinkSpec> link_fields(const ObjectReader& r)
  {
    if (!r.ok())
      return std::nullopt;
    auto bw  = r.quantity("bandwidth", Quantity::bandwidth, true, Range::positive(1e15));
    auto lat = r.quantity("latency", Quantity::time, true, Range::non_negative(1e6));
    LinkSpec spec;
    if (auto sharing = r.choice("sharing", false, {"full_duplex", "shared", "fatpipe"})) {
      spec.sharing = *sharing == "full_duplex" ? LinkSharing::full_duplex
                     : *sharing == "shared"    ? LinkSharing::shared
                                               : LinkSharing::fatpipe;
    }
    if (!bw || !lat)
      return std::nullopt;
    spec.bandwidth = *bw;
    spec.latency   = *lat;
    return spec;
  }

  std::optional<PowerSpec> read_power(const Json& value, const std::string& pointer, int cores)
  {
    ObjectReader r(value, pointer, diags_, {"idle", "one_core", "busy", "off"});
    if (!r.ok())
      return std::nullopt;
    auto idle = r.quantity("idle", Quantity::power, true, Range::non_negative(1e9));
    auto busy = r.quantity("busy", Quantity::power, true, Range::non_negative(1e9));
    auto one  = r.quantity("one_core", Quantity::power, false, Range::non_negative(1e9));
    auto off  = r.quantity("off", Quantity::power, false, Range::non_negative(1e9));
    if (!idle || !busy)
      return std::nullopt;
    if (*busy < *idle) {
      r.error("busy", fmt::format("must be >= idle ({} W), got {} W", *idle, *busy));
      return std::nullopt;
    }
    PowerSpec p;
    p.idle     = *idle;
    p.busy     = *busy;
    p.one_core = one ? *one : *idle + (*busy - *idle) / cores;
    p.off      = off ? *off : 0.0;
    if (p.one_core < p.idle || p.one_core > p.busy) {
      r.error("one_core", fmt::format("must lie between idle ({} W) and busy ({} W), got {} W", p.idle, p.busy,
                                      p.one_core));
      return std::nullopt;
    }
    return p;
  }

  void read_platform(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"sites", "links", "qpu"});
    if (!r.ok())
      return;
    const size_t diags_before = diags_.size();
    Platform& p = scenario_.platform;
    if (const Json* sites = r.array("sites", true)) {
      for (size_t i = 0; i < sites->size(); ++i)
        read_site((*sites)[i], join_pointer(r.pointer_of("sites"), i));
    }
    if (const Json* links = r.array("links", false, true)) {
      for (size_t i = 0; i < links->size(); ++i)
        read_site_link((*links)[i], join_pointer(r.pointer_of("links"), i));
    }
    if (const Json* qpu = r.object("qpu", false))
      read_qpu(*qpu, r.pointer_of("qpu"));
    if (p.compute_node_count() == 0 && diags_.size() == diags_before)
      r.error("sites", "the platform has no compute node; add \"nodes\" to at least one site");
    if (diags_.size() == diags_before && !p.sites.empty()) {
      const Topology topology(p);
      if (auto problem = topology.connectivity_problem())
        r.error(p.links.empty() ? "sites" : "links", *problem);
      else
        platform_ok_ = true;
    }
  }

  // A "nodes" entry as written, before it is placed in each replica of its site.
  struct NodeTemplate {
    std::string name;
    bool replicated = false;
    int64_t count   = 1;
    double speed    = 0;
    int cores       = 1;
    LinkSpec link;
    std::optional<PowerSpec> power;
    std::string pointer;
  };

  void read_site(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "kind", "count", "link", "nodes"});
    if (!r.ok())
      return;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid site name: " + identifier_rule);
      name.reset();
    }
    SiteKind kind = SiteKind::edge;
    if (auto k = r.choice("kind", false, {"edge", "cloud"}))
      kind = *k == "edge" ? SiteKind::edge : SiteKind::cloud;
    const bool replicated = r.has("count");
    auto count            = r.integer("count", false, 1, limits::max_sites);
    std::optional<LinkSpec> default_link;
    if (const Json* link = r.object("link", false))
      default_link = read_link(*link, r.pointer_of("link"));
    std::vector<NodeTemplate> templates;
    bool nodes_ok = true;
    if (const Json* nodes = r.array("nodes", false, true)) {
      for (size_t j = 0; j < nodes->size(); ++j) {
        auto t = read_node((*nodes)[j], join_pointer(r.pointer_of("nodes"), j), default_link);
        if (t)
          templates.push_back(std::move(*t));
        else
          nodes_ok = false;
      }
    }
    if (!name || (replicated && !count) || !nodes_ok)
      return;
    const int64_t replicas = count ? *count : 1;
    int64_t nodes_per_site = 0;
    for (const auto& t : templates)
      nodes_per_site += t.count;
    Platform& p = scenario_.platform;
    if (static_cast<int64_t>(p.sites.size()) + replicas > limits::max_sites) {
      r.error("count", fmt::format("the platform would have more than {} sites", limits::max_sites));
      return;
    }
    if (static_cast<double>(p.nodes.size()) + static_cast<double>(replicas) * static_cast<double>(nodes_per_site) >
        static_cast<double>(limits::max_nodes)) {
      r.error(replicated ? "count" : "nodes", fmt::format("the platform would have more than {} nodes",
                                                          limits::max_nodes));
      return;
    }
    if (replicated && !claim_name(*name, pointer))
      return;
    for (int64_t i = 0; i < replicas; ++i) {
      const std::string site_name = replicated ? fmt::format("{}-{}", *name, i) : *name;
      if (!claim_name(site_name, pointer))
        return;
      const size_t site = p.sites.size();
      p.sites.push_back({site_name, kind, {}, pointer});
      site_names_[site_name].push_back(site);
      if (replicated)
        site_names_[*name].push_back(site);
      for (const auto& t : templates)
        place_nodes(t, site);
    }
  }

  std::optional<NodeTemplate> read_node(const Json& value, const std::string& pointer,
                                        const std::optional<LinkSpec>& site_link)
  {
    ObjectReader r(value, pointer, diags_, {"name", "count", "speed", "cores", "link", "power"});
    if (!r.ok())
      return std::nullopt;
    NodeTemplate t;
    t.pointer = pointer;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid node name: " + identifier_rule);
      name.reset();
    } else if (name && *name == "switch") {
      r.error("name", "'switch' is reserved for the site's switch; choose another node name");
      name.reset();
    }
    t.replicated = r.has("count");
    auto count   = r.integer("count", false, 1, limits::max_nodes);
    auto speed   = r.quantity("speed", Quantity::speed, true, Range::positive(1e21));
    auto cores   = r.integer("cores", false, 1, limits::max_cores);
    std::optional<LinkSpec> link = site_link;
    if (const Json* l = r.object("link", false))
      link = read_link(*l, r.pointer_of("link"));
    else if (!site_link && !r.has("link"))
      r.error("link", "required key is missing (no \"link\" is given for the node nor for its site)");
    t.cores = cores ? static_cast<int>(*cores) : 1;
    if (const Json* pw = r.object("power", false)) {
      t.power = read_power(*pw, r.pointer_of("power"), t.cores);
      if (!t.power)
        return std::nullopt;
    }
    if (!name || !speed || !link || (r.has("cores") && !cores) || (t.replicated && !count))
      return std::nullopt;
    t.name  = *name;
    t.count = count ? *count : 1;
    t.speed = *speed;
    t.link  = *link;
    return t;
  }

  void place_nodes(const NodeTemplate& t, size_t site)
  {
    Platform& p            = scenario_.platform;
    const std::string base = p.sites[site].name + "." + t.name;
    if (t.replicated && !claim_name(base, t.pointer))
      return;
    for (int64_t i = 0; i < t.count; ++i) {
      Node node;
      node.name = t.replicated ? fmt::format("{}-{}", base, i) : base;
      if (!claim_name(node.name, t.pointer))
        return;
      node.site    = site;
      node.kind    = p.sites[site].kind == SiteKind::edge ? NodeKind::edge : NodeKind::cloud;
      node.speed   = t.speed;
      node.cores   = t.cores;
      node.link    = t.link;
      node.power   = t.power;
      node.pointer = t.pointer;
      const size_t index = p.nodes.size();
      p.nodes.push_back(std::move(node));
      p.sites[site].nodes.push_back(index);
      node_names_[p.nodes[index].name].push_back(index);
      if (t.replicated)
        node_names_[base].push_back(index);
    }
  }

  // Resolves a site name used as a link end or job source; templates give all their replicas.
  std::optional<std::vector<size_t>> resolve_site(const std::string& name, const std::string& pointer)
  {
    auto it = site_names_.find(name);
    if (it != site_names_.end())
      return it->second;
    std::vector<std::string> known;
    for (const auto& [n, _] : site_names_)
      known.push_back(n);
    std::string message = "no site is named '" + name + "'";
    const auto suggestion = did_you_mean(name, known);
    if (!suggestion.empty())
      message += "; did you mean '" + suggestion + "'?";
    diags_.add(pointer, message);
    return std::nullopt;
  }

  void read_site_link(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "between", "bandwidth", "latency", "sharing"});
    if (!r.ok())
      return;
    auto spec = link_fields(r);
    auto name = r.string("name", false);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid link name: " + identifier_rule);
      return;
    }
    const Json* between = r.array("between", true);
    if (!between)
      return;
    if (between->size() != 2 || !(*between)[0].is_string() || !(*between)[1].is_string()) {
      r.error("between", "must list exactly two site names, e.g. [\"district\", \"cloud\"]");
      return;
    }
    const std::string a_name = (*between)[0].get<std::string>();
    const std::string b_name = (*between)[1].get<std::string>();
    auto a = resolve_site(a_name, join_pointer(r.pointer_of("between"), size_t{0}));
    auto b = resolve_site(b_name, join_pointer(r.pointer_of("between"), size_t{1}));
    if (!a || !b || !spec)
      return;
    if (a->size() > 1 && b->size() > 1) {
      r.error("between", "both ends name replicated sites; link specific replicas (e.g. '" +
                             scenario_.platform.sites[a->front()].name + "') instead");
      return;
    }
    auto& links = scenario_.platform.links;
    const std::vector<size_t>& many = a->size() > 1 ? *a : *b;
    const size_t one                = a->size() > 1 ? b->front() : a->front();
    for (size_t i = 0; i < many.size(); ++i) {
      const size_t x = a->size() > 1 ? many[i] : one;
      const size_t y = a->size() > 1 ? one : many[i];
      if (x == y) {
        r.error("between", "a link must join two different sites");
        return;
      }
      for (const auto& existing : links) {
        if ((existing.a == x && existing.b == y) || (existing.a == y && existing.b == x)) {
          r.error("between", "sites '" + scenario_.platform.sites[x].name + "' and '" +
                                 scenario_.platform.sites[y].name + "' are already linked at " + existing.pointer);
          return;
        }
      }
      std::string link_name = name ? (many.size() > 1 ? fmt::format("{}-{}", *name, i) : *name)
                                   : scenario_.platform.sites[x].name + "--" + scenario_.platform.sites[y].name;
      if (!claim_name("link:" + link_name, pointer))
        return;
      links.push_back({link_name, x, y, *spec, pointer});
    }
  }

  void read_qpu(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"name", "site", "speed", "link"});
    if (!r.ok())
      return;
    std::string name = "qpu";
    if (auto n = r.string("name", false)) {
      if (!valid_identifier(*n)) {
        r.error("name", "'" + *n + "' is not a valid name: " + identifier_rule);
        return;
      }
      name = *n;
    }
    auto site_name = r.string("site", true);
    auto speed     = r.quantity("speed", Quantity::speed, true, Range::positive(1e21));
    std::optional<LinkSpec> link;
    if (const Json* l = r.object("link", true))
      link = read_link(*l, r.pointer_of("link"));
    if (!site_name || !speed || !link)
      return;
    auto sites = resolve_site(*site_name, r.pointer_of("site"));
    if (!sites)
      return;
    if (sites->size() != 1) {
      r.error("site", "names a replicated site; choose one replica, e.g. '" +
                          scenario_.platform.sites[sites->front()].name + "'");
      return;
    }
    Platform& p = scenario_.platform;
    Node node;
    node.site  = sites->front();
    node.name  = p.sites[node.site].name + "." + name;
    node.kind  = NodeKind::qpu;
    node.speed = *speed;
    node.cores = 1;
    node.link  = *link;
    node.pointer = pointer;
    if (!claim_name(node.name, pointer))
      return;
    p.qpu = p.nodes.size();
    p.nodes.push_back(node);
  }

  // Resolves the node set of a "targets"/"nodes" list. A site template resolves to the caller's own
  // replica when `own_site` came from that template, and to every replica otherwise.
  std::optional<std::vector<size_t>> resolve_nodes(const Json& list, const std::string& pointer,
                                                   std::optional<size_t> own_site)
  {
    std::set<size_t> result;
    bool ok = true;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string item_pointer = join_pointer(pointer, i);
      if (!list[i].is_string()) {
        diags_.add(item_pointer, "must be a site or node name, got " + type_name(list[i]));
        ok = false;
        continue;
      }
      const std::string name = list[i].get<std::string>();
      if (name == "*") {
        for (size_t n = 0; n < scenario_.platform.compute_node_count(); ++n)
          result.insert(n);
        continue;
      }
      if (auto it = node_names_.find(name); it != node_names_.end()) {
        result.insert(it->second.begin(), it->second.end());
        continue;
      }
      if (auto it = site_names_.find(name); it != site_names_.end()) {
        std::vector<size_t> sites = it->second;
        if (sites.size() > 1 && own_site) {
          auto own = std::find(sites.begin(), sites.end(), *own_site);
          if (own != sites.end())
            sites = {*own};
        }
        size_t added = 0;
        for (size_t s : sites) {
          for (size_t n : scenario_.platform.sites[s].nodes) {
            result.insert(n);
            ++added;
          }
        }
        if (added == 0) {
          diags_.add(item_pointer, "site '" + name + "' has no compute nodes");
          ok = false;
        }
        continue;
      }
      if (scenario_.platform.qpu && scenario_.platform.nodes[*scenario_.platform.qpu].name == name) {
        diags_.add(item_pointer, "'" + name + "' is the quantum co-processor; it does not run classical tasks");
        ok = false;
        continue;
      }
      std::vector<std::string> known;
      for (const auto& [n, _] : site_names_)
        known.push_back(n);
      for (const auto& [n, _] : node_names_)
        known.push_back(n);
      std::string message   = "no site or node is named '" + name + "'";
      const auto suggestion = did_you_mean(name, known);
      if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      diags_.add(item_pointer, message);
      ok = false;
    }
    if (!ok)
      return std::nullopt;
    return std::vector<size_t>(result.begin(), result.end());
  }

  void read_workload(const Json& value, const std::string& pointer)
  {
    ObjectReader kind_reader(value, pointer, diags_, {"kind", "jobs", "duration", "groups"});
    if (!kind_reader.ok())
      return;
    auto kind = kind_reader.choice("kind", true, {"batch", "stream"});
    if (!kind)
      return;
    if (*kind == "batch") {
      scenario_.workload.kind = WorkloadKind::batch;
      for (const char* key : {"duration", "groups"})
        if (kind_reader.has(key))
          kind_reader.error(key, "belongs to a stream workload; this workload is \"kind\": \"batch\"");
      const Json* jobs = kind_reader.array("jobs", true);
      if (!jobs)
        return;
      for (size_t i = 0; i < jobs->size(); ++i)
        read_job((*jobs)[i], join_pointer(kind_reader.pointer_of("jobs"), i));
    } else {
      scenario_.workload.kind = WorkloadKind::stream;
      if (kind_reader.has("jobs"))
        kind_reader.error("jobs", "belongs to a batch workload; this workload is \"kind\": \"stream\"");
      auto duration = kind_reader.quantity("duration", Quantity::time, true, Range::positive(limits::max_duration));
      if (duration)
        scenario_.workload.stream.duration = *duration;
      const Json* groups = kind_reader.array("groups", true);
      if (!groups)
        return;
      for (size_t i = 0; i < groups->size(); ++i)
        read_group((*groups)[i], join_pointer(kind_reader.pointer_of("groups"), i));
    }
  }

  void read_job(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "units", "flops_per_unit", "bytes_per_unit", "chunks", "sharing", "source", "nodes",
                    "start", "policy", "printed"});
    if (!r.ok())
      return;
    BatchJob job;
    job.pointer = pointer;
    job.policy  = default_policy_;
    auto name   = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid job name: " + identifier_rule);
      name.reset();
    }
    auto units  = r.number("units", true, Range::positive(1e18));
    auto fpu    = r.quantity("flops_per_unit", Quantity::work, true, Range::positive(1e21));
    auto bpu    = r.quantity("bytes_per_unit", Quantity::size, false, Range::non_negative(1e15));
    auto chunks = r.integer("chunks", false, 1, limits::max_chunks);
    auto start  = r.quantity("start", Quantity::time, false, Range::non_negative(limits::max_duration));
    if (const Json* sharing = r.object("sharing", false)) {
      ObjectReader s(*sharing, r.pointer_of("sharing"), diags_, {"rounds", "bytes"});
      if (auto rounds = s.integer("rounds", false, 0, limits::max_rounds))
        job.rounds = static_cast<int>(*rounds);
      if (auto bytes = s.quantity("bytes", Quantity::size, false, Range::non_negative(1e15)))
        job.round_bytes = *bytes;
    }
    if (const Json* policy = r.get("policy")) {
      if (auto spec = read_policy(*policy, r.pointer_of("policy")))
        job.policy = *spec;
    }
    if (const Json* printed = r.object("printed", false)) {
      ObjectReader p(*printed, r.pointer_of("printed"), diags_, {"value", "unit", "source"});
      auto v = p.number("value", true, Range{});
      auto u = p.string("unit", true);
      auto s = p.string("source", true);
      if (v && u && s)
        job.printed = PrintedFigure{*v, *u, *s};
    }
    if (!platform_ok_)
      return;  // names cannot be resolved against a platform that has errors of its own
    std::optional<std::vector<size_t>> nodes;
    if (const Json* list = r.array("nodes", false))
      nodes = resolve_nodes(*list, r.pointer_of("nodes"), std::nullopt);
    else if (!r.has("nodes")) {
      nodes.emplace(scenario_.platform.compute_node_count());
      std::iota(nodes->begin(), nodes->end(), size_t{0});
    }
    if (auto source = r.string("source", false)) {
      if (auto sites = resolve_site(*source, r.pointer_of("source"))) {
        if (sites->size() != 1)
          r.error("source", "names a replicated site; choose one replica, e.g. '" +
                                scenario_.platform.sites[sites->front()].name + "'");
        else
          job.source = sites->front();
      }
    } else if (nodes && !nodes->empty()) {
      job.source = scenario_.platform.nodes[nodes->front()].site;
    }
    if (!name || !units || !fpu || !nodes || (r.has("bytes_per_unit") && !bpu) || (r.has("chunks") && !chunks) ||
        (r.has("start") && !start))
      return;
    if (!claim_name("job:" + *name, pointer))
      return;
    job.name           = *name;
    job.units          = *units;
    job.flops_per_unit = *fpu;
    job.bytes_per_unit = bpu ? *bpu : 0.0;
    job.start          = start ? *start : 0.0;
    job.nodes          = *nodes;
    if (chunks) {
      job.chunks = static_cast<uint64_t>(*chunks);
    } else {
      uint64_t cores = 0;
      for (size_t n : job.nodes)
        cores += static_cast<uint64_t>(scenario_.platform.nodes[n].cores);
      job.chunks = std::min<uint64_t>(cores, static_cast<uint64_t>(limits::max_chunks));
    }
    if (job.flops_per_unit * job.units > 1e30) {
      r.error("units", "units x flops_per_unit exceeds 1e30 flop; check the orders of magnitude");
      return;
    }
    scenario_.workload.batch.jobs.push_back(std::move(job));
  }

  void read_group(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_,
                   {"name", "site", "sensors", "arrival", "period", "rate", "jitter", "flops", "bytes", "targets",
                    "policy", "micro_batch"});
    if (!r.ok())
      return;
    auto name = r.string("name", true);
    if (name && !valid_identifier(*name)) {
      r.error("name", "'" + *name + "' is not a valid group name: " + identifier_rule);
      name.reset();
    }
    auto site_name = r.string("site", true);
    auto sensors   = r.integer("sensors", true, 1, limits::max_sensors);
    ArrivalKind arrival = ArrivalKind::periodic;
    if (auto a = r.choice("arrival", false, {"periodic", "poisson"}))
      arrival = *a == "periodic" ? ArrivalKind::periodic : ArrivalKind::poisson;
    std::optional<double> period;
    if (r.has("period") && r.has("rate")) {
      r.error("rate", "give either \"period\" (time between readings of one sensor) or \"rate\" (readings per "
                      "second of one sensor), not both");
    } else if (r.has("rate")) {
      if (auto rate = r.number("rate", true, Range::positive(1e9)))
        period = 1.0 / *rate;
    } else if (r.has("period")) {
      period = r.quantity("period", Quantity::time, true, Range::positive(limits::max_duration));
    } else {
      r.error("period", "required: give \"period\" (e.g. \"60s\") or \"rate\" (readings per second per sensor)");
    }
    double jitter  = 0.0;
    bool jitter_ok = true;
    if (r.has("jitter")) {
      const auto value = r.number("jitter", true, Range::closed(0.0, 1.0));
      jitter_ok        = value.has_value();
      if (value && arrival != ArrivalKind::periodic) {
        r.error("jitter", "applies to periodic arrivals only; Poisson arrivals are random already");
        jitter_ok = false;
      }
      jitter = value.value_or(0.0);
    }
    auto flops = r.quantity("flops", Quantity::work, true, Range::positive(1e21));
    auto bytes = r.quantity("bytes", Quantity::size, false, Range::non_negative(1e15));
    PolicySpec policy = default_policy_;
    if (const Json* p = r.get("policy")) {
      if (auto spec = read_policy(*p, r.pointer_of("policy")))
        policy = *spec;
    }
    std::optional<MicroBatch> batch;
    if (const Json* mb = r.object("micro_batch", false)) {
      ObjectReader m(*mb, r.pointer_of("micro_batch"), diags_, {"size", "max_wait"});
      auto size     = m.integer("size", true, 1, 1000000);
      auto max_wait = m.quantity("max_wait", Quantity::time, true, Range::positive(limits::max_duration));
      if (size && max_wait)
        batch = MicroBatch{static_cast<uint64_t>(*size), *max_wait};
    }
    const Json* targets = r.array("targets", false);
    if (!platform_ok_)
      return;  // names cannot be resolved against a platform that has errors of its own
    if (!name || !site_name || !sensors || !period || !flops || (r.has("bytes") && !bytes) ||
        !jitter_ok || (r.has("micro_batch") && !batch) || (r.has("targets") && !targets))
      return;
    auto sites = resolve_site(*site_name, r.pointer_of("site"));
    if (!sites)
      return;
    for (size_t site : *sites) {
      SensorGroup g;
      g.name    = scenario_.platform.sites[site].name + "." + *name;
      g.site    = site;
      g.sensors = static_cast<uint64_t>(*sensors);
      g.arrival = arrival;
      g.period  = *period;
      g.jitter  = jitter;
      g.flops   = *flops;
      g.bytes   = bytes ? *bytes : 0.0;
      g.policy  = policy;
      g.micro_batch = batch;
      g.pointer = pointer;
      if (targets) {
        auto resolved = resolve_nodes(*targets, r.pointer_of("targets"), site);
        if (!resolved)
          return;
        g.targets = *resolved;
      } else if (!scenario_.platform.sites[site].nodes.empty()) {
        g.targets = scenario_.platform.sites[site].nodes;
      } else {
        r.error("targets", "required here: site '" + scenario_.platform.sites[site].name +
                               "' has no compute nodes, so name the sites or nodes that process these readings");
        return;
      }
      if (!claim_name("group:" + g.name, pointer))
        return;
      scenario_.workload.stream.groups.push_back(std::move(g));
    }
  }

  void read_expect(const Json& value, const std::string& pointer)
  {
    for (const auto& item : value.items()) {
      const std::string item_pointer = join_pointer(pointer, item.key());
      if (item.key().empty() || item.key()[0] != '/') {
        diags_.add(item_pointer, "an expectation is keyed by a JSON pointer into summary.json, such as "
                                 "\"/metrics/latency_s/p99\"");
        continue;
      }
      ObjectReader r(item.value(), item_pointer, diags_, {"min", "max", "equals", "why"});
      if (!r.ok())
        continue;
      Expectation e;
      e.metric  = item.key();
      e.pointer = item_pointer;
      e.min     = r.number("min", false, Range{});
      e.max     = r.number("max", false, Range{});
      if (const Json* eq = r.get("equals")) {
        if (eq->is_object() || eq->is_array() || eq->is_null())
          r.error("equals", "must be a number, a string or a boolean");
        else
          e.equals = *eq;
      }
      if (auto why = r.string("why", false))
        e.why = *why;
      if (!e.min && !e.max && !e.equals && !r.has("min") && !r.has("max") && !r.has("equals")) {
        diags_.add(item_pointer, "needs at least one of \"min\", \"max\" or \"equals\"");
        continue;
      }
      if (e.min && e.max && *e.min > *e.max) {
        r.error("max", fmt::format("is below \"min\" ({} > {})", *e.min, *e.max));
        continue;
      }
      scenario_.expect.push_back(std::move(e));
    }
  }

  void read_output(const Json& value, const std::string& pointer)
  {
    ObjectReader r(value, pointer, diags_, {"timeline_interval", "max_task_rows"});
    if (auto interval = r.quantity("timeline_interval", Quantity::time, false, Range::positive(limits::max_duration)))
      scenario_.output.timeline_interval = *interval;
    if (auto rows = r.integer("max_task_rows", false, 0, 100000000))
      scenario_.output.max_task_rows = static_cast<uint64_t>(*rows);
  }

  // Refuses runs whose task count alone would exhaust memory or time, before anything starts.
  void check_size()
  {
    if (!diags_.empty())
      return;
    double tasks   = 0;
    double sensors = 0;
    const Workload& w = scenario_.workload;
    if (w.kind == WorkloadKind::batch) {
      for (const auto& job : w.batch.jobs)
        tasks += static_cast<double>(job.chunks) * (job.rounds + 1);
    } else {
      for (const auto& g : w.stream.groups) {
        tasks += expected_group_tasks(w.stream.duration, g);
        sensors += static_cast<double>(g.sensors);
      }
    }
    if (tasks > limits::max_tasks)
      diags_.add("/workload", fmt::format("this workload would simulate about {:.3g} tasks, more than the limit of "
                                          "{:.3g}; shorten the duration, lower the rates or use micro_batch",
                                          tasks, limits::max_tasks));
    if (sensors > static_cast<double>(limits::max_sensors))
      diags_.add("/workload/groups", fmt::format("{:.3g} sensors in all exceeds the limit of {}", sensors,
                                                 limits::max_sensors));
  }
};

}  // namespace

Scenario parse_scenario(const Json& document, const std::string& file)
{
  return ScenarioParser(document, file).parse();
}

}  // namespace leptonsim::models
