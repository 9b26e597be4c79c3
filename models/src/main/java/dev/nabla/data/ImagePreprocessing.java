package dev.nabla.data;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A pretrained network's image pipeline, as torchvision's transforms: decode; for evaluation resize the shorter
 * side and centre-crop ({@link #evalTransform}); for training a random resized crop and a random horizontal flip
 * ({@link #trainTransform}); then {@code (pixel / 255 - mean[c]) / std[c]} per RGB channel, into a (3, H, W) float
 * array. {@link #of} gives the usual ImageNet-style numbers for a network's input size, mean and std.
 * {@link ImageFolder} and {@link BatchLoader} apply it to a folder of images.
 */
public record ImagePreprocessing(int resizeShorter, int cropHeight, int cropWidth, double[] mean, double[] std) {

    /**
     * The most pixels {@link #decode} accepts, checked against the file's header before decoding: Pillow's
     * {@code Image.MAX_IMAGE_PIXELS}, past which torchvision's loader warns of a decompression bomb. A small PNG
     * can claim 40,000 x 40,000 pixels, 6.4 GB as RGB integers.
     */
    public static final long MAX_PIXELS = 89_478_485L;

    /**
     * The usual ImageNet-style pipeline for a network of {@code size x size} inputs: for evaluation the shorter side
     * resized to {@code size * 8 / 7} (rounded; 256 for 224, torchvision's {@code Resize(256)}) and the centre
     * {@code size x size} crop, then {@code (pixel / 255 - mean[c]) / std[c]} per RGB channel.
     */
    public static ImagePreprocessing of(int size, double[] mean, double[] std) {
        if (size < 1 || mean.length != 3 || std.length != 3 || java.util.Arrays.stream(std).anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("ImagePreprocessing: size must be positive, mean three values and std"
                    + " three positive values; got " + size + ", " + java.util.Arrays.toString(mean) + ", "
                    + java.util.Arrays.toString(std));
        }
        return new ImagePreprocessing((int) Math.round(size * 8 / 7.0), size, size, mean.clone(), std.clone());
    }

    /**
     * Decodes a JPEG (RGB, grey, or CMYK and YCCK with their Adobe marker), PNG, GIF (its first frame), BMP or TIFF
     * file; any failure is an IOException naming it: a format Java cannot decode, a header of more than
     * {@link #MAX_PIXELS} pixels, data that ends early, a 4-channel JPEG whose colour space is not stated. As
     * torchvision's default loader, the EXIF orientation tag is not applied.
     */
    public static BufferedImage decode(Path file) throws IOException {
        return ImageFile.decode(file);
    }

    /** Resize shorter side, centre-crop and normalise: a (3, cropHeight, cropWidth) array, channel-major. */
    public float[] evalTransform(BufferedImage img) {
        return normalize(evalCrop(img));
    }

    /**
     * The evaluation crop before normalisation, as torchvision's {@code Resize(256)} then {@code CenterCrop(224)}:
     * the shorter side resized to {@link #resizeShorter()} (the longer one in proportion, rounded down) with
     * Pillow's antialiased bilinear filter, then the centre {@code cropWidth x cropHeight} (offsets rounded half to
     * even, as Python's {@code round}).
     */
    public BufferedImage evalCrop(BufferedImage img) {
        int width = img.getWidth();
        int height = img.getHeight();
        int w;
        int h;
        if (width <= height) {
            w = resizeShorter;
            h = (int) ((double) resizeShorter * height / width);
        } else {
            h = resizeShorter;
            w = (int) ((double) resizeShorter * width / height);
        }
        // A crop larger than the resized image (not torchvision's defaults) takes all of it, resized up.
        w = Math.max(w, cropWidth);
        h = Math.max(h, cropHeight);
        int left = (int) Math.rint((w - cropWidth) / 2.0);
        int top = (int) Math.rint((h - cropHeight) / 2.0);
        int[] rgb = PilResize.resize(pixels(img, 0, 0, width, height), width, height, w, h,
                left, top, cropWidth, cropHeight);
        return image(rgb, cropWidth, cropHeight);
    }

    /**
     * The training transform: {@link #trainCrop} then {@link #normalize}, a (3, cropHeight, cropWidth) array.
     * All randomness comes from {@code rnd}, so a sample seeded alike is augmented alike.
     */
    public float[] trainTransform(BufferedImage img, Random rnd) {
        return normalize(trainCrop(img, rnd));
    }

    /**
     * The training augmentation before normalisation, as torchvision's
     * {@code RandomResizedCrop(224)} then {@code RandomHorizontalFlip(0.5)}: a box of 8% to 100% of the image's area
     * and aspect ratio 3/4 to 4/3 ({@link #randomResizedCropBox}), resized to {@code cropWidth x cropHeight}, then
     * mirrored left-right with probability 1/2.
     */
    public BufferedImage trainCrop(BufferedImage img, Random rnd) {
        Box box = randomResizedCropBox(img.getWidth(), img.getHeight(), rnd);
        BufferedImage crop = resizedCrop(img, box, cropWidth, cropHeight);
        return rnd.nextDouble() < 0.5 ? flipHorizontal(crop) : crop;
    }

    /**
     * {@code (pixel / 255 - mean[c]) / std[c]} for the R, G and B channel of every pixel: a (3, height, width)
     * array, channel-major (plane R, then G, then B; rows top to bottom), the layout {@code MobileNetV2.scores}
     * expects per sample.
     */
    public float[] normalize(BufferedImage img) {
        int width = img.getWidth();
        int height = img.getHeight();
        int plane = height * width;
        int[] rgb = pixels(img, 0, 0, width, height);
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = (float) ((((p >> 16) & 0xff) / 255.0 - mean[0]) / std[0]);
            out[plane + i] = (float) ((((p >> 8) & 0xff) / 255.0 - mean[1]) / std[1]);
            out[2 * plane + i] = (float) (((p & 0xff) / 255.0 - mean[2]) / std[2]);
        }
        return out;
    }

    /** A crop rectangle in pixels: columns {@code [left, left + width)}, rows {@code [top, top + height)}. */
    public record Box(int left, int top, int width, int height) {
    }

    /** {@link #randomResizedCropBox(int, int, double, double, double, double, Random)} with torchvision's defaults. */
    public static Box randomResizedCropBox(int width, int height, Random rnd) {
        return randomResizedCropBox(width, height, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, rnd);
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: up to 10 tries of an area fraction uniform in
     * {@code [minScale, maxScale]} and an aspect ratio (width / height) log-uniform in {@code [minRatio, maxRatio]},
     * the first box that fits placed uniformly at random; if none fits, the largest centred box whose ratio is
     * clamped into the range (the whole image when its own ratio is in range).
     */
    public static Box randomResizedCropBox(int width, int height, double minScale, double maxScale,
                                           double minRatio, double maxRatio, Random rnd) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("randomResizedCropBox: empty image " + width + "x" + height);
        }
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * (minScale + (maxScale - minScale) * rnd.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rnd.nextDouble());
            int w = (int) Math.round(Math.sqrt(targetArea * ratio));
            int h = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rnd.nextInt(height - h + 1);
                int left = rnd.nextInt(width - w + 1);
                return new Box(left, top, w, h);
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < minRatio) {
            h = (int) Math.round(w / minRatio);
        } else if (inRatio > maxRatio) {
            w = (int) Math.round(h * maxRatio);
        }
        return new Box((width - w) / 2, (height - h) / 2, w, h);
    }

    /** The pixels of {@code box} resized to {@code outWidth x outHeight} (Pillow's bilinear, antialiased). */
    public static BufferedImage resizedCrop(BufferedImage img, Box box, int outWidth, int outHeight) {
        if (box.left() < 0 || box.top() < 0 || box.width() <= 0 || box.height() <= 0
                || box.left() + box.width() > img.getWidth() || box.top() + box.height() > img.getHeight()) {
            throw new IllegalArgumentException("resizedCrop: " + box + " is not inside the " + img.getWidth() + "x"
                    + img.getHeight() + " image");
        }
        int[] rgb = pixels(img, box.left(), box.top(), box.width(), box.height());
        return image(PilResize.resize(rgb, box.width(), box.height(), outWidth, outHeight, 0, 0, outWidth, outHeight),
                outWidth, outHeight);
    }

    /** The image mirrored left-right: column x becomes column width - 1 - x. */
    public static BufferedImage flipHorizontal(BufferedImage img) {
        int width = img.getWidth();
        int height = img.getHeight();
        int[] rgb = pixels(img, 0, 0, width, height);
        for (int row = 0; row < rgb.length; row += width) {
            for (int x = row, z = row + width - 1; x < z; x++, z--) {
                int t = rgb[x];
                rgb[x] = rgb[z];
                rgb[z] = t;
            }
        }
        return image(rgb, width, height);
    }

    /**
     * The RGB of a rectangle, packed {@code 0xRRGGBB}, row-major, as Pillow's {@code convert("RGB")} gives it:
     * grey levels copied to the three channels, palette colours looked up, alpha dropped.
     */
    private static int[] pixels(BufferedImage img, int left, int top, int width, int height) {
        if (img.getColorModel().hasAlpha()) {
            // getRGB keeps the colour of a transparent pixel, where drawing would blend it into the background.
            int[] rgb = img.getRGB(left, top, width, height, null, 0, width);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] &= 0xffffff;
            }
            return rgb;
        }
        // Java2D's blit is fast and copies grey levels as they are; getRGB would put grey JPEGs (a linear grey
        // colour space in Java) through a gamma curve and brighten them.
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, -left, -top, null);
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    }

    private static BufferedImage image(int[] rgb, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, ((DataBufferInt) out.getRaster().getDataBuffer()).getData(), 0, width * height);
        return out;
    }
}
