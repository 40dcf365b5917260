// The parts of ECharts the progress charts draw with (lines, bars, title, tooltip, legend, grid; SVG), instead of
// the whole library: the chart chunk the browser page loads on demand is a third of the full build.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, TitleComponent, TooltipComponent, LegendComponent, GridComponent, SVGRenderer]);

export const { init } = echarts;
