package io.asyncengine.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG bar chart of the ratios: one row of bars per workload group, one colour per contender,
 * a line at 1.0 (the baseline). Drawn with Java2D, headless.
 */
public final class RatioChart {

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  private RatioChart() {}

  /** Draws {@code measurements} into {@code file}. */
  public static void write(Path file, String title, List<Measurement> measurements) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, List<Measurement>> groups = new LinkedHashMap<>();
    LinkedHashSet<String> contenders = new LinkedHashSet<>();
    for (Measurement m : measurements) {
      if (!Double.isNaN(m.ratio())) {
        groups.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
        contenders.add(m.contender());
      }
    }
    List<String> names = new ArrayList<>(contenders);
    int rowHeight = 16;
    int groupGap = 14;
    int left = 390;
    int width = 1280;
    int perLegendRow = 6;
    int top = 56 + 16 * ((names.size() + perLegendRow - 1) / perLegendRow);
    int height = top + 40 + groups.values().stream().mapToInt(g -> g.size() * rowHeight + groupGap).sum();
    double max = Math.max(2.0, measurements.stream().mapToDouble(Measurement::ratio).filter(r -> !Double.isNaN(r)).max().orElse(2));
    max = Math.min(max, 10);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 10, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i < names.size(); i++) {
      int x = 10 + (i % perLegendRow) * 205;
      int legendY = 34 + (i / perLegendRow) * 16;
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(x, legendY, 10, 10);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), x + 14, legendY + 10);
    }
    int plotWidth = width - left - 80;
    int y = top;
    for (Map.Entry<String, List<Measurement>> group : groups.entrySet()) {
      Measurement first = group.getValue().get(0);
      g.setColor(Color.BLACK);
      g.drawString(group.getKey(), 10, y + 12);
      g.setColor(Color.GRAY);
      g.drawString(first.higherIsBetter() ? "(higher is better)" : "(lower is better)", 10, y + 25);
      for (Measurement m : group.getValue()) {
        double ratio = Math.min(m.ratio(), max);
        int bar = (int) Math.round(ratio / max * plotWidth);
        // Every bar is named: colours alone are hard to tell apart.
        g.setColor(Color.DARK_GRAY);
        g.drawString(m.contender(), left - 6 - g.getFontMetrics().stringWidth(m.contender()), y + 12);
        g.setColor(PALETTE[names.indexOf(m.contender()) % PALETTE.length]);
        g.fillRect(left, y + 2, Math.max(bar, 1), rowHeight - 4);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2fx%s", m.ratio(), m.ratio() > max ? " (cut)" : ""), left + bar + 4, y + 12);
        y += rowHeight;
      }
      y += groupGap;
    }
    int one = left + (int) Math.round(1.0 / max * plotWidth);
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
    g.drawLine(one, top - 6, one, y);
    g.drawString("1.0 = baseline", one + 3, top - 8);
    g.dispose();
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "png", file.toFile());
  }
}
