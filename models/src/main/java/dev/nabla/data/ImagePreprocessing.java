package dev.nabla.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A pretrained network's evaluation transform: decode, resize the shorter side, centre-crop, then
 * {@code (pixel / 255 - mean[c]) / std[c]} per RGB channel, into a (3, H, W) float array. The
 * numbers come from the {@code preprocessing} object of the network's {@code model.json}.
 */
public record ImagePreprocessing(int resizeShorter, int cropHeight, int cropWidth, double[] mean, double[] std) {

    /** Reads {@code preprocessing} from {@code modelDir/model.json}. */
    public static ImagePreprocessing fromModelJson(Path modelDir) throws IOException {
        Path json = modelDir.resolve("model.json");
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "the pretrained model's description is missing");
        }
        JsonNode p = new ObjectMapper().readTree(json.toFile()).path("preprocessing");
        if (p.isMissingNode() || !p.path("mean").isArray() || !p.path("std").isArray()) {
            throw new IOException(json + ": no \"preprocessing\" object with mean and std");
        }
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = p.path("mean").path(c).asDouble();
            std[c] = p.path("std").path(c).asDouble();
        }
        return new ImagePreprocessing(p.path("resize_shorter").asInt(256), p.path("center_crop").path(0).asInt(224),
                p.path("center_crop").path(1).asInt(224), mean, std);
    }

    /** Decodes a JPEG, PNG, GIF or BMP file; an unreadable one is an IOException naming it. */
    public static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode the image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image format Java can decode (JPEG, PNG, GIF, BMP)");
        }
        return img;
    }

    /** Resize shorter side, centre-crop and normalise: a (3, cropHeight, cropWidth) array, channel-major. */
    public float[] evalTransform(BufferedImage img) {
        double scale = (double) resizeShorter / Math.min(img.getWidth(), img.getHeight());
        int w = Math.max(cropWidth, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(cropHeight, (int) Math.round(img.getHeight() * scale));
        BufferedImage resized = resize(img, w, h);
        int top = (h - cropHeight) / 2;
        int left = (w - cropWidth) / 2;
        float[] out = new float[3 * cropHeight * cropWidth];
        int plane = cropHeight * cropWidth;
        for (int y = 0; y < cropHeight; y++) {
            for (int x = 0; x < cropWidth; x++) {
                int rgb = resized.getRGB(left + x, top + y);
                int i = y * cropWidth + x;
                out[i] = (float) ((((rgb >> 16) & 0xff) / 255.0 - mean[0]) / std[0]);
                out[plane + i] = (float) ((((rgb >> 8) & 0xff) / 255.0 - mean[1]) / std[1]);
                out[2 * plane + i] = (float) (((rgb & 0xff) / 255.0 - mean[2]) / std[2]);
            }
        }
        return out;
    }

    /**
     * Area averaging when shrinking (each output pixel averages the input pixels it covers, the
     * antialiasing PIL applies) and bilinear interpolation when enlarging.
     */
    private static BufferedImage resize(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            if (w < img.getWidth() || h < img.getHeight()) {
                g.drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
            } else {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img, 0, 0, w, h, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
