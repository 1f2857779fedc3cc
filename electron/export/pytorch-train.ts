/**
 * The Python that trains an exported network, the same for every network: a Fashion-MNIST loader reading the IDX
 * files (gzipped or not), an image-folder loader, the book's minibatch SGD on softmax cross-entropy and its log line,
 * run unchanged by `python3` on one process or by `torchrun --nproc_per_node N` with DistributedDataParallel (gloo on
 * CPUs, nccl on GPUs: the global batch is split between the processes, so N processes take the book's steps).
 * `--check BATCH.json` prints the loss of one batch in training mode instead (dropout off): ConvLab's tests compare it
 * with the engine's first loss.
 */

/** The script's loaders, training loop and entry point; it expects build_net, load_weights, SIDE, CHANNELS, CLASSES and the SETTINGS dict above it. */
export const TRAIN_CODE = String.raw`def read_idx(path):
    """An IDX file of Fashion-MNIST (or MNIST) as a uint8 tensor, gzipped or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, kind, rank = struct.unpack(">HBB", raw[:4])
    if zero != 0 or kind != 8:
        raise SystemExit("%s is not an IDX file of bytes" % path)
    dims = struct.unpack(">%dI" % rank, raw[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def fashion_mnist(folder):
    """(train images, train labels, test images, test labels) from the four IDX files in folder."""
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise SystemExit("no %s(.gz) in %s" % (stem, folder))
    parts = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    tx, ty, vx, vy = (read_idx(find(p)) for p in parts)
    return tx.unsqueeze(1), ty.long(), vx.unsqueeze(1), vy.long()


def image_folder(root):
    """Images in root/<class>/ (or root/train/<class>/ and root/test/<class>/), classes in sorted order, read at SIDE."""
    from PIL import Image
    def read(folder, classes):
        xs, ys = [], []
        for label, name in enumerate(classes):
            for file in sorted(os.listdir(os.path.join(folder, name))):
                image = Image.open(os.path.join(folder, name, file)).convert("L" if CHANNELS == 1 else "RGB").resize((SIDE, SIDE))
                pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).reshape(SIDE, SIDE, -1)
                xs.append(pixels.permute(2, 0, 1))
                ys.append(label)
        return torch.stack(xs), torch.tensor(ys)
    train = os.path.join(root, "train")
    test = next((os.path.join(root, t) for t in ("test", "val") if os.path.isdir(os.path.join(root, t))), None)
    if not os.path.isdir(train) or test is None:
        train = test = root
    classes = sorted(d for d in os.listdir(train) if os.path.isdir(os.path.join(train, d)))
    if len(classes) > CLASSES:
        raise SystemExit("%s has %d classes; the network has %d outputs" % (root, len(classes), CLASSES))
    return (*read(train, classes), *read(test, classes))


def as_input(images):
    """uint8 images as the network reads them: / 255, enlarged to SIDE as the book's Resize does, CHANNELS channels."""
    x = images.float() / 255
    if x.shape[-1] != SIDE or x.shape[-2] != SIDE:
        x = F.interpolate(x, size=(SIDE, SIDE), mode="bilinear", align_corners=False)
    if x.shape[1] != CHANNELS:
        x = x.mean(dim=1, keepdim=True).expand(-1, CHANNELS, -1, -1)
    return x


def check(path, net):
    """Prints one batch's mean softmax cross-entropy in training mode, dropout off (ConvLab's first loss)."""
    batch = json.load(open(path))
    x = torch.tensor(batch["x"]["data"], dtype=torch.float32).reshape(batch["x"]["shape"])
    for m in net.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    net.train()
    print("first loss %.8f" % float(F.cross_entropy(net(x), torch.tensor(batch["labels"]))))


def main():
    parser = argparse.ArgumentParser(description="Train " + TITLE + " as ConvLab does; runs under torchrun too.")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="folder of Fashion-MNIST's IDX files")
    parser.add_argument("--image-folder", help="train on the images in this folder (one subfolder per class) instead")
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--lr", type=float, default=SETTINGS["lr"])
    parser.add_argument("--batch", type=int, default=SETTINGS["batch"], help="global batch, split between processes")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training and N test images")
    parser.add_argument("--fresh", action="store_true", help="start from PyTorch's own initialisation, not ConvLab's weights")
    parser.add_argument("--check", help="print the loss of the batch in this JSON file and stop")
    args = parser.parse_args()

    net = build_net()
    if not args.fresh:
        load_weights(net)
    if args.check:
        return check(args.check, net)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if cuda else torch.device("cpu")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
        if not cuda:
            torch.set_num_threads(max(1, (os.cpu_count() or 1) // world))
    if cuda:
        torch.cuda.set_device(device)
    net = net.to(device)
    model = DDP(net, device_ids=[device.index] if cuda else None) if world > 1 else net

    tx, ty, vx, vy = image_folder(args.image_folder) if args.image_folder else fashion_mnist(args.data)
    if args.limit:
        tx, ty, vx, vy = tx[:args.limit], ty[:args.limit], vx[:args.limit], vy[:args.limit]
    train = torch.utils.data.TensorDataset(tx, ty)
    test = torch.utils.data.TensorDataset(vx, vy)
    train_sampler = DistributedSampler(train, world, rank, shuffle=True, seed=0) if world > 1 else None
    test_sampler = DistributedSampler(test, world, rank, shuffle=False) if world > 1 else None
    per_process = max(1, args.batch // world)
    train_iter = torch.utils.data.DataLoader(train, per_process, shuffle=train_sampler is None, sampler=train_sampler)
    test_iter = torch.utils.data.DataLoader(test, per_process, sampler=test_sampler)
    trainer = torch.optim.SGD(model.parameters(), lr=args.lr)

    def total(*values):
        t = torch.tensor(values, dtype=torch.float64, device=device)
        if world > 1:
            dist.all_reduce(t)
        return t.tolist()

    for epoch in range(args.epochs):
        start = time.time()
        if train_sampler is not None:
            train_sampler.set_epoch(epoch)
        model.train()
        loss_sum = correct = count = 0.0
        for images, labels in train_iter:
            x, y = as_input(images).to(device), labels.to(device)
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            trainer.zero_grad()
            loss.backward()
            trainer.step()
            loss_sum += float(loss) * len(y)
            correct += float((logits.argmax(dim=1) == y).sum())
            count += len(y)
        model.eval()
        test_correct = test_count = 0.0
        with torch.no_grad():
            for images, labels in test_iter:
                y = labels.to(device)
                test_correct += float((model(as_input(images).to(device)).argmax(dim=1) == y).sum())
                test_count += len(y)
        loss_sum, correct, count, test_correct, test_count = total(loss_sum, correct, count, test_correct, test_count)
        if rank == 0:
            print("epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec"
                  % (epoch + 1, loss_sum / count, correct / count, test_correct / max(1, test_count), time.time() - start), flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
