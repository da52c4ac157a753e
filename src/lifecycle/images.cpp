// `nexcage image ls|rm|prune`: the image store as an admin sees it, with the containers of this
// state root that were made from each image. An image a container uses is never removed; the
// container keeps its own copy of the rootfs, so removing an unused image takes nothing from
// anyone.
#include <cstdio>
#include <map>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/images/store.hpp"
#include "nexcage/oci/image_reference.hpp"

namespace nexcage::lifecycle {

namespace {

using Mode = fs::FileLock::Mode;

// The containers of this root by the image digest they record.
std::map<std::string, std::vector<std::string>> users_by_digest(const Context& ctx) {
  std::map<std::string, std::vector<std::string>> users;
  for (const auto& id : ctx.store().ids()) {
    auto record = detail::peek(ctx, id);
    if (!record) continue;
    auto it = record->annotations.find(detail::image_digest_annotation);
    if (it != record->annotations.end()) users[it->second].push_back(id);
  }
  return users;
}

// Decimal units, as podman prints image sizes.
std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.3g %s", value, units[unit]);
  return buf;
}

// The digest `name` means: a full digest, a unique prefix of at least 12 of its hex digits, or
// a reference as pulled (normalised the way create --image normalises it).
std::string resolve(const images::ImageStore& store, const std::vector<images::StoredImage>& all,
                    const std::string& name) {
  auto hex = name.rfind("sha256:", 0) == 0 ? name.substr(7) : name;
  if (hex.size() >= 12 && hex.find_first_not_of("0123456789abcdef") == std::string::npos) {
    std::vector<std::string> matches;
    for (const auto& image : all)
      if (image.digest.compare(7, hex.size(), hex) == 0) matches.push_back(image.digest);
    if (matches.size() == 1) return matches.front();
    if (matches.size() > 1)
      throw Error(ErrorKind::usage, "\"" + name + "\" matches several images",
                  "give more digits: " + join(matches, ", "));
  }
  std::string digest;
  try {
    digest = store.digest_named(oci::parse_image_reference(name).display());
  } catch (const Error&) {
    // Not a reference either; reported below.
  }
  if (digest.empty())
    throw Error(ErrorKind::not_found, "no image \"" + name + "\" in " + store.dir().string(),
                "nexcage image ls lists them");
  return digest;
}

}  // namespace

std::string list_images(Context& ctx, const std::string& format, bool quiet) {
  detail::check_table_or_json(format);
  auto store = detail::image_store(ctx);
  auto held = store.lock(Mode::shared);
  auto all = held ? store.images() : std::vector<images::StoredImage>{};
  held.reset();
  auto users = users_by_digest(ctx);
  if (quiet) {
    std::string out;
    for (const auto& image : all) out += image.digest + "\n";
    return out;
  }
  if (format == "json") {
    auto doc = nlohmann::ordered_json::array();
    for (const auto& image : all)
      doc.push_back({{"digest", image.digest},
                     {"references", image.references},
                     {"size", image.size},
                     {"pulled", image.pulled},
                     {"containers", users[image.digest]}});
    return doc.dump() + "\n";
  }
  std::vector<std::vector<std::string>> rows{
      {"REFERENCE", "DIGEST", "SIZE", "PULLED", "CONTAINERS"}};
  for (const auto& image : all) {
    auto refs = image.references.empty() ? std::vector<std::string>{"<none>"} : image.references;
    const auto& used = users[image.digest];
    for (const auto& ref : refs)
      rows.push_back({ref, image.digest.substr(0, 7 + 12), human_size(image.size),
                      image.pulled.empty() ? "-" : image.pulled,
                      used.empty() ? "-" : join(used, ",")});
  }
  return detail::table(rows);
}

std::string remove_images(Context& ctx, const std::vector<std::string>& names) {
  if (names.empty()) throw Error(ErrorKind::usage, "image rm needs at least one image");
  auto store = detail::image_store(ctx);
  if (!store.exists())
    throw Error(ErrorKind::not_found, "no image store at " + store.dir().string(),
                "nothing has been pulled yet");
  auto held = store.lock(Mode::exclusive);
  auto all = store.images();
  auto users = users_by_digest(ctx);
  std::vector<std::string> digests;
  // Every name is checked before anything is removed: all or nothing.
  for (const auto& name : names) {
    auto digest = resolve(store, all, name);
    if (auto it = users.find(digest); it != users.end())
      throw Error(ErrorKind::wrong_state, "image " + name + " is used by " + join(it->second, ", "),
                  "delete those containers first (nexcage delete)");
    if (std::find(digests.begin(), digests.end(), digest) == digests.end())
      digests.push_back(digest);
  }
  store.remove(ctx.runner(), digests);
  return join(digests, "\n") + "\n";
}

std::string prune_images(Context& ctx) {
  auto store = detail::image_store(ctx);
  if (!store.exists()) return "";
  auto held = store.lock(Mode::exclusive);
  auto users = users_by_digest(ctx);
  std::vector<std::string> unused;
  for (const auto& digest : store.digests())
    if (!users.count(digest)) unused.push_back(digest);
  if (unused.empty()) {
    store.collect_garbage(ctx.runner());  // what a killed pull may have left
    return "";
  }
  store.remove(ctx.runner(), unused);
  return join(unused, "\n") + "\n";
}

}  // namespace nexcage::lifecycle
