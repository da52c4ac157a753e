#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

// `image ACTION [IMAGE...]`: one command with its action as a word, so the man pages and the
// completions, which know one level of commands, describe it whole.
void add_image(CLI::App& app, Action& action) {
  struct Args {
    std::string what;
    std::vector<std::string> images;
    std::string format = "table";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub =
      app.add_subcommand("image", "the image store of create --image: ls, rm IMAGE..., prune");
  set_footer(*sub,
             "ls lists the pulled images (reference, digest, size, when pulled, the containers "
             "of this state root made from each); rm removes images named by reference, digest "
             "or a digest prefix of 12 or more hex digits; prune removes every image no container "
             "uses. An image a container uses is never removed. The store is images.store of the "
             "config file (default /var/lib/nexcage/images).");
  sub->add_option("action", args->what, "ls (or list), rm (or remove), prune")
      ->required()
      ->check(CLI::IsMember({"ls", "list", "rm", "remove", "prune"}))
      ->type_name("ACTION");
  sub->add_option("images", args->images, "rm: the images to remove")->type_name("IMAGE");
  sub->add_option("-f,--format", args->format, "ls: output format, table or json")
      ->type_name("{table,json}");
  sub->add_flag("-q,--quiet", args->quiet, "ls: print only the digests");
  sub->callback([&action, args, sub] {
    const auto& what = args->what;
    bool listing = what == "ls" || what == "list";
    if (!listing && (sub->get_option("--format")->count() > 0 || args->quiet))
      throw CLI::ValidationError("image", "--format and --quiet belong to image ls");
    if (what != "rm" && what != "remove" && !args->images.empty())
      throw CLI::ValidationError("image", "image " + what + " takes no image names");
    action.run = [args, listing](lifecycle::Context& ctx) {
      if (listing)
        print(lifecycle::list_images(ctx, args->format, args->quiet));
      else if (args->what == "prune")
        print(lifecycle::prune_images(ctx));
      else
        print(lifecycle::remove_images(ctx, args->images));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
