package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pretrained path end to end: real photos decoded, preprocessed and classified; a bad file named. */
class ClassifyCommandTest {
    @Test
    void antAndBeePhotosGetTheirClassesAndABadFileIsReportedByPath(@TempDir Path tmp) throws Exception {
        Path ant = TestData.file("hymenoptera_data/train/ants/0013035.jpg");
        Path bee = TestData.file("hymenoptera_data/train/bees/16838648_415acd9e3f.jpg");
        Path notAnImage = Files.writeString(tmp.resolve("notes.jpg"), "not a picture");
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("classify", "--backend", "cpu", "--data-dir", TestData.dir().toString(),
                ant.toString(), notAnImage.toString(), bee.toString());

        assertEquals(1, status, "one file could not be decoded");
        assertTrue(err.toString().contains(notAnImage.toString()), err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(12, lines.length, out.toString()); // two images, a path line and 5 classes each
        // The reference forward pass (model README) gives ant 0.8803 and bee 0.9175 for these photos. Our
        // resize is Pillow's, but Java's JPEG decoder rounds a few pixels differently from libjpeg's, so the
        // probabilities agree to about a hundredth (measured: 0.8668 and 0.9176).
        assertTrue(lines[1].matches("\\s+310\\s+0\\.\\d+\\s+ant.*"), lines[1]);
        assertEquals(0.8803, Double.parseDouble(lines[1].trim().split("\\s+")[1]), 0.02, lines[1]);
        assertTrue(lines[7].matches("\\s+309\\s+0\\.\\d+\\s+bee"), lines[7]);
        assertEquals(0.9175, Double.parseDouble(lines[7].trim().split("\\s+")[1]), 0.02, lines[7]);
    }

    @Test
    void aDecompressionBombIsRefusedByPathAndTheNextImageIsStillClassified(@TempDir Path tmp) throws Exception {
        // A 1 x 1 PNG whose header claims 40,000 x 40,000 pixels (checksum fixed): the decoder would allocate
        // 1.6 billion pixels before finding the data missing.
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", png);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png.toByteArray()).putInt(16, 40_000).putInt(20, 40_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt(29, (int) crc.getValue());
        Path bomb = Files.write(tmp.resolve("bomb.png"), b.array());
        Path ant = TestData.file("hymenoptera_data/train/ants/0013035.jpg");
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("classify", "--backend", "cpu", "--top", "1", "--data-dir", TestData.dir().toString(),
                bomb.toString(), ant.toString());

        assertEquals(1, status, err.toString());
        assertEquals("nabla classify: " + bomb + ": its header says 40,000 x 40,000 = 1,600,000,000 pixels, more than"
                + " the 89,478,485 this program decodes (Pillow's limit against decompression bombs); shrink it first",
                err.toString().strip());
        assertTrue(out.toString().startsWith(ant + "\n   310  "), out.toString());
    }

    @Test
    void anyOnnxClassifierWithItsLabelsAndPipelineAsOptions(@TempDir Path tmp) throws Exception {
        Path ant = TestData.file("hymenoptera_data/train/ants/0013035.jpg");
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "zero\none\n");
        CommandLine cl = Nabla.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int status = cl.execute("classify", "--backend", "cpu", "--model", TestData.file(
                "onnx/mobilenet_v2_1.0_224.onnx").toString(), "--labels", labels.toString(), "--size", "224", "--mean",
                "0.5", "0.5", "0.5", "--std", "0.5", "0.5", "0.5", "--top", "1", ant.toString());
        assertEquals(0, status, out.toString());
        // The same network and pipeline as the default: class 310, whose name the two-line label file lacks.
        assertTrue(out.toString().contains("310  0.8"), out.toString());
        assertTrue(out.toString().strip().endsWith("?"), out.toString());
    }
}
